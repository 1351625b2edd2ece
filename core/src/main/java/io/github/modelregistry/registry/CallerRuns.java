package io.github.modelregistry.registry;

import java.time.Duration;

import io.github.modelregistry.holder.HolderStrategy;
import org.jspecify.annotations.Nullable;

/**
 * Decides whether one model's asynchronous inferences may run on the caller's thread instead of the inference
 * pool: only when the registry was told so ({@code model-registry.inference.caller-runs-below}), only for a holder
 * whose reads never wait for another thread, and only while the model's recent runs took less than the bound. A
 * caller's thread may be an event loop, which must never block: a model that grows slow (a new version, a larger
 * input) goes back to the pool by itself, since the runs it makes there keep the estimate current.
 * <p>
 * The estimate is an exponentially weighted moving average of run times (weight 1/8, the newest run against the
 * rest), starting unknown, so that a model's first inference always runs on the pool. It is one volatile long
 * updated without a lock: two runs ending at once may lose one sample, which only delays the estimate by one run,
 * and a lock here would cost every inference more than the hand-off it saves.
 * <p>
 * The time limiter allows this because the bound must be shorter than the model's time limit (checked when the
 * registry is built): an inference on the caller's thread cannot be abandoned, so only a model whose runs are known
 * to end well within the limit may run there; one that then overruns is answered late, not cut off, and the next
 * ones go to the pool.
 */
final class CallerRuns {

	/** Never on the caller's thread. */
	static final CallerRuns NEVER = new CallerRuns(0);

	private static final long UNKNOWN = Long.MAX_VALUE;

	private final long boundNanos;

	private volatile long estimateNanos = UNKNOWN;

	private CallerRuns(long boundNanos) {
		this.boundNanos = boundNanos;
	}

	/**
	 * @param model the model's name, for messages
	 * @param strategy how the model is held
	 * @param bound the longest recent run time that may run on the caller's thread, {@code null} for never
	 * @param timeLimit the model's time limit, {@code null} for none
	 * @throws IllegalStateException if the bound is not shorter than the time limit
	 */
	static CallerRuns of(String model, HolderStrategy strategy, @Nullable Duration bound,
			@Nullable Duration timeLimit) {
		if (bound == null || !strategy.readsNeverWait()) {
			return NEVER;
		}
		if (timeLimit != null && bound.compareTo(timeLimit) >= 0) {
			throw new IllegalStateException("model-registry.inference.caller-runs-below (" + bound.toMillis()
					+ " ms) must be shorter than the time limit of model '" + model + "' (" + timeLimit.toMillis()
					+ " ms): an inference on the caller's thread cannot be abandoned when the limit passes");
		}
		return new CallerRuns(bound.toNanos());
	}

	/**
	 * Whether the next inference may run on the caller's thread.
	 */
	boolean allowed() {
		return this.estimateNanos < this.boundNanos;
	}

	/**
	 * Records how long a run took, from entering the holder to having the outputs.
	 */
	void ran(long nanos) {
		if (this.boundNanos == 0) {
			return;
		}
		long estimate = this.estimateNanos;
		this.estimateNanos = (estimate == UNKNOWN) ? nanos : estimate + (nanos - estimate) / 8;
	}

}
