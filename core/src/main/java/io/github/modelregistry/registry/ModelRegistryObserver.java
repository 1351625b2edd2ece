package io.github.modelregistry.registry;

import org.jspecify.annotations.Nullable;

/**
 * Told about every inference and reload, to record metrics. Called on the thread that did the work, so
 * implementations must be quick and must not throw.
 */
public interface ModelRegistryObserver {

	/**
	 * An inference finished.
	 * @param model the model name
	 * @param strategy how the model is held, as users write it
	 * @param version the version that ran, or {@code null} if none did
	 * @param waitNanos time from asking the holder for the model to running with it: lock waits and lazy loads
	 * @param totalNanos time of the whole inference, waiting included
	 * @param outcome how it ended
	 */
	default void inferred(String model, String strategy, @Nullable Long version, long waitNanos,
			long totalNanos, InferenceOutcome outcome) {
	}

	/**
	 * A batch ran (a batching model's run, of one request or of several merged).
	 * @param model the model name
	 * @param requests how many requests it answered
	 * @param rows their rows, summed: the first dimension of the run's inputs
	 */
	default void batched(String model, int requests, int rows) {
	}

	/**
	 * A request of a batching model left the batch queue for its run.
	 * @param model the model name
	 * @param queuedNanos how long it waited for its batch
	 */
	default void batchQueued(String model, long queuedNanos) {
	}

	/**
	 * A model was registered at run time and can serve as its load mode says ({@link ModelRegistry#register}).
	 * @param model the model name
	 * @param strategy how it is held, as users write it
	 */
	default void registered(String model, String strategy) {
	}

	/**
	 * A model was unregistered ({@link ModelRegistry#unregister}): no request reaches it any more and its versions
	 * are closed.
	 * @param model the model name
	 */
	default void unregistered(String model) {
	}

	/**
	 * A reload finished, whatever its outcome.
	 */
	default void reloaded(ReloadResult result) {
	}

	/**
	 * Something happened to one version of a model: it was loaded (and warmed up), started serving, was retired
	 * after its readers left, failed to load, was refused for memory or was evicted to make room.
	 * @param model the model name
	 * @param version the version
	 * @param event what happened
	 */
	default void versionEvent(String model, long version, VersionEvent event) {
	}

	/**
	 * What can happen to a version, as a metric tag.
	 */
	enum VersionEvent {

		/** Loaded and warmed up. */
		LOAD,

		/** Started serving. */
		PUBLISH,

		/** Closed after its last reader left. */
		RETIRE,

		/** Failed to load or to warm up; what served before keeps serving. */
		FAILURE,

		/** Not loaded: it would not fit the memory budget, and nothing could be unloaded to make room. */
		REFUSE,

		/** Unloaded to make room in the memory budget; the model's next request loads it again. */
		EVICT;

		/**
		 * Returns the tag value: lower case.
		 */
		public String tag() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	/**
	 * How an inference ended, as a metric tag.
	 */
	enum InferenceOutcome {

		/** Outputs were returned. */
		SUCCESS,

		/** The request did not fit the model (a client error). */
		INVALID,

		/** The model version asked for is not served. */
		NOT_FOUND,

		/** No model could be read: not loaded and not loadable, its circuit open, or shutting down. */
		UNAVAILABLE,

		/** Refused at once: the model's bulkhead or the inference queue was full. */
		REJECTED,

		/** Did not finish within the model's time limit. */
		TIMEOUT,

		/** The caller stopped waiting (cancelled, or its own deadline passed) before the run began: nothing ran. */
		CANCELLED,

		/** The inference itself failed. */
		ERROR;

		/** The tag value, lower case: computed once, since every inference's observation asks for it */
		private final String tag = name().toLowerCase(java.util.Locale.ROOT);

		/**
		 * Returns the tag value: lower case.
		 */
		public String tag() {
			return this.tag;
		}

	}

}
