package io.github.modelregistry.registry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Protects each model's inferences: how many run at once, how long one may take, and whether a model that keeps
 * failing is still called. The registry asks for a {@link ModelProtection} once per model it serves, so that
 * made-up model names never create protection state.
 * <p>
 * The registry, not a face, applies it, and only around the model's own work: a face reads the whole request
 * before it calls the registry, unknown models and versions are refused before a permit is asked for, and only
 * failures of the model count as failures (see {@link ModelProtection.Permit}).
 */
@FunctionalInterface
public interface InferenceProtection {

	/**
	 * No protection: every inference is let through.
	 */
	InferenceProtection NONE = (model) -> ModelProtection.NONE;

	/**
	 * Returns the protection of one model.
	 * @param model the model name, one the registry serves
	 * @return its protection
	 */
	ModelProtection forModel(String model);

	/**
	 * Forgets the protection of a model that is no longer served ({@link ModelRegistry#unregister}), so that a
	 * service cycling through many models does not keep an instance for each, and a model registered again under
	 * the name starts afresh. Nothing by default.
	 * @param model the model name
	 */
	default void forget(String model) {
	}

	/**
	 * The protection of one model.
	 */
	interface ModelProtection {

		/**
		 * No protection.
		 */
		ModelProtection NONE = new ModelProtection() {

			@Override
			public Permit acquire() {
				return Permit.NONE;
			}

			@Override
			public @Nullable Duration timeLimit() {
				return null;
			}

		};

		/**
		 * Asks to run one inference, without waiting.
		 * @return the permit, to be settled once and released once
		 * @throws ModelOverloadedException if the model already runs its limit of inferences
		 * @throws ModelUnavailableException if the model failed too often and is not called for now
		 */
		Permit acquire();

		/**
		 * Returns how long an asynchronous inference may take, waiting for a thread included, or {@code null} for
		 * no limit.
		 */
		@Nullable Duration timeLimit();

		/**
		 * Tells the time limiter an inference ran out of time (for its events and metrics).
		 */
		default void timedOut(Duration limit) {
		}

	}

	/**
	 * One admitted inference. Exactly one of {@link #succeeded}, {@link #failed} and {@link #ignored} settles its
	 * outcome, and {@link #release} is called once, when the work has really ended (an inference that timed out
	 * keeps its permit until the runtime returns, so the limit bounds what actually runs).
	 */
	interface Permit {

		/**
		 * A permit of no protection.
		 */
		Permit NONE = new Permit() {

			@Override
			public void succeeded(long nanos) {
			}

			@Override
			public void failed(long nanos, Throwable failure) {
			}

			@Override
			public void ignored() {
			}

			@Override
			public void release() {
			}

		};

		/**
		 * The model answered.
		 */
		void succeeded(long nanos);

		/**
		 * The model failed, or ran out of time: counts against its circuit breaker.
		 */
		void failed(long nanos, Throwable failure);

		/**
		 * The outcome says nothing about the model (an invalid request, a version retired meanwhile, work skipped
		 * because its caller had gone): not counted either way.
		 */
		void ignored();

		/**
		 * The work has ended: the permit is free for another inference.
		 */
		void release();

	}

}
