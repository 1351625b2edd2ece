package io.github.modelregistry.holder;

import org.jspecify.annotations.Nullable;

/**
 * A snapshot of a holder: what it serves and what it has done. Counters are read one after another without a lock,
 * so a snapshot taken during a publish may mix values from just before and just after it.
 *
 * @param strategy how the model is held
 * @param status whether a model can be read
 * @param generation generation of the model serving now: 1 for the first, one more per publish, 0 before any
 * @param inFlightReads reads inside the holder right now
 * @param retiring replaced models waiting for their last reader before they close
 * @param loads successful loads through the holder's loader
 * @param loadFailures failed loads
 * @param publishes models that started serving, the first one included
 * @param retired replaced models that were closed
 * @param lastFailure the most recent load failure, kept after a later success so that operators can see it;
 * {@code null} if no load ever failed
 */
public record HolderState(HolderStrategy strategy, Status status, long generation, long inFlightReads, int retiring,
		long loads, long loadFailures, long publishes, long retired, @Nullable Throwable lastFailure) {

	/**
	 * Whether a holder's model can be read.
	 */
	public enum Status {

		/**
		 * Nothing published or loaded yet; the first read loads if the holder has a loader.
		 */
		EMPTY,

		/**
		 * The first load is running; readers wait for it.
		 */
		LOADING,

		/**
		 * A model is serving (for {@code per-request}: the last load succeeded).
		 */
		AVAILABLE,

		/**
		 * No model is serving because the last load failed; the next read or reload tries again.
		 */
		FAILED,

		/**
		 * The holder is closed and its model too.
		 */
		CLOSED

	}

}
