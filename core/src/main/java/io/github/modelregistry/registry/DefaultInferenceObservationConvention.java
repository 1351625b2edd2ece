package io.github.modelregistry.registry;

import io.github.modelregistry.registry.InferenceObservationDocumentation.HighCardinalityKeys;
import io.github.modelregistry.registry.InferenceObservationDocumentation.LowCardinalityKeys;
import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The observation {@code model.inference}, named {@code infer <model>} in traces; low-cardinality keys
 * {@code model}, {@code strategy} and {@code outcome} (so the timer Micrometer makes of it has them as tags), and
 * the {@code version} that ran as a high-cardinality key (on spans only: versions come and go with every reload).
 */
public class DefaultInferenceObservationConvention implements InferenceObservationConvention {

	/** The observation's name, and so the timer's. */
	public static final String NAME = "model.inference";

	private static final KeyValue NO_VERSION = KeyValue.of(HighCardinalityKeys.VERSION, "none");

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public String getContextualName(InferenceObservationContext context) {
		return "infer " + context.getModel();
	}

	@Override
	public KeyValues getLowCardinalityKeyValues(InferenceObservationContext context) {
		return KeyValues.of(KeyValue.of(LowCardinalityKeys.MODEL, context.getModel()),
				KeyValue.of(LowCardinalityKeys.STRATEGY, context.getStrategy()),
				KeyValue.of(LowCardinalityKeys.OUTCOME, context.getOutcome().tag()));
	}

	@Override
	public KeyValues getHighCardinalityKeyValues(InferenceObservationContext context) {
		Long version = context.getVersion();
		return KeyValues.of((version != null) ? KeyValue.of(HighCardinalityKeys.VERSION, version.toString())
				: NO_VERSION);
	}

}
