package io.github.modelregistry.holder;

import java.time.Duration;

/**
 * Told about a holder's lifecycle events, to log them and to record metrics. Called on the thread where the event
 * happens (a loading reader, a publisher, the retirement executor), so implementations must be quick and must not
 * throw.
 */
public interface HolderListener {

	/**
	 * A listener that ignores every event.
	 */
	HolderListener NONE = new HolderListener() {
	};

	/**
	 * A model was loaded through the holder's loader.
	 * @param took how long the load took
	 */
	default void loaded(Duration took) {
	}

	/**
	 * The holder's loader failed.
	 * @param failure what the loader threw
	 * @param took how long it ran before failing
	 */
	default void loadFailed(Throwable failure, Duration took) {
	}

	/**
	 * A model started serving.
	 * @param generation its generation: 1 for the first model the holder served, then one more per publish
	 */
	default void published(long generation) {
	}

	/**
	 * A replaced model was closed after its last reader left.
	 * @param generation the generation of the closed model
	 * @param drained how long it took from being replaced to being closed
	 */
	default void retired(long generation, Duration drained) {
	}

	/**
	 * Closing a replaced model threw. The model is not used again either way.
	 * @param generation the generation of the model
	 * @param failure what its {@code close()} threw
	 */
	default void closeFailed(long generation, Exception failure) {
	}

}
