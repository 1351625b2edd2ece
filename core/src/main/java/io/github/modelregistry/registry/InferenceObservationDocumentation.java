package io.github.modelregistry.registry;

import io.micrometer.common.docs.KeyName;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;
import io.micrometer.observation.docs.ObservationDocumentation;

/**
 * The registry's one observation, in Micrometer's documentation form: its keys and the events that mark the end of
 * each phase of an inference (permit, queue, holder; the run ends with the observation).
 */
public enum InferenceObservationDocumentation implements ObservationDocumentation {

	/** One inference, from its arrival at the registry to the end of its run (or its refusal). */
	INFERENCE {

		@Override
		public Class<? extends ObservationConvention<? extends Observation.Context>> getDefaultConvention() {
			return DefaultInferenceObservationConvention.class;
		}

		@Override
		public KeyName[] getLowCardinalityKeyNames() {
			return LowCardinalityKeys.values();
		}

		@Override
		public KeyName[] getHighCardinalityKeyNames() {
			return HighCardinalityKeys.values();
		}

		@Override
		public Observation.Event[] getEvents() {
			return Events.values();
		}

	};

	/**
	 * Keys with a bounded set of values: tags of the timer.
	 */
	public enum LowCardinalityKeys implements KeyName {

		/** The model's name. */
		MODEL {
			@Override
			public String asString() {
				return "model";
			}
		},

		/** How the model is held. */
		STRATEGY {
			@Override
			public String asString() {
				return "strategy";
			}
		},

		/** How the inference ended ({@code success}, {@code invalid}, {@code rejected}, ...). */
		OUTCOME {
			@Override
			public String asString() {
				return "outcome";
			}
		}

	}

	/**
	 * Keys whose values come and go: on spans, not on meters.
	 */
	public enum HighCardinalityKeys implements KeyName {

		/** The version that ran, or {@code none}. */
		VERSION {
			@Override
			public String asString() {
				return "version";
			}
		}

	}

	/**
	 * The end of each phase before the run, at the time it ended.
	 */
	public enum Events implements Observation.Event {

		/** The model's bulkhead gave a permit. */
		PERMITTED {
			@Override
			public String getName() {
				return "permitted";
			}
		},

		/** A thread of the inference pool (or a batch) took it from the queue. */
		DEQUEUED {
			@Override
			public String getName() {
				return "dequeued";
			}
		},

		/** The holder let the run in: the model runs from here to the observation's end. */
		ENTERED {
			@Override
			public String getName() {
				return "entered";
			}
		}

	}

}
