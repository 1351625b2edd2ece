package io.github.modelregistry.registry;

import java.util.concurrent.atomic.AtomicLong;

import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.InferenceModel;

/**
 * The registry's native-memory budget ({@code model-registry.memory.max}): the sum of what every loaded version is
 * charged ({@link ResidentMemory}) may not pass it. A load is checked before it starts, against its file's size (what
 * it costs at least), and refused if that would not fit; once loaded, the version is charged what it really took,
 * and its charge is given back when the version closes, exactly once.
 * <p>
 * Checks and charges happen inside {@link ResidentMemory#measure}'s process-wide turn, so two loads never both pass
 * a check that only one of them fits; releases are atomic decrements from whatever thread closes a version (the
 * retirer, a request's thread for {@code per-request}, which is never charged).
 */
final class MemoryBudget {

	/** No budget: every load fits, and charges are only counted. */
	static final long UNBOUNDED = Long.MAX_VALUE;

	private final long max;

	private final AtomicLong charged = new AtomicLong();

	MemoryBudget(long max) {
		if (max <= 0) {
			throw new IllegalArgumentException("A memory budget must be positive, was " + max);
		}
		this.max = max;
	}

	long max() {
		return this.max;
	}

	boolean bounded() {
		return this.max != UNBOUNDED;
	}

	long charged() {
		return this.charged.get();
	}

	/**
	 * Refuses a load whose least cost would pass the budget.
	 * @param model the model name
	 * @param version the version about to load
	 * @param leastBytes what it costs at least: its file's size
	 * @throws ModelMemoryExceededException if it would not fit
	 */
	void check(String model, long version, long leastBytes) {
		long charged = this.charged.get();
		if (this.bounded() && charged + leastBytes > this.max) {
			throw new ModelMemoryExceededException(model, version, leastBytes, charged, this.max);
		}
	}

	/**
	 * Charges a loaded version and returns it wrapped, so that closing it gives the charge back once.
	 */
	InferenceModel charge(InferenceModel model, long bytes) {
		this.charged.addAndGet(bytes);
		return new Charged(model, bytes);
	}

	/**
	 * A loaded version whose close gives its charge back.
	 */
	private final class Charged extends ForwardingInferenceModel {

		private final long bytes;

		private final java.util.concurrent.atomic.AtomicBoolean released = new java.util.concurrent.atomic.AtomicBoolean();

		Charged(InferenceModel model, long bytes) {
			super(model);
			this.bytes = bytes;
		}

		@Override
		public void close() throws Exception {
			try {
				super.close();
			}
			finally {
				if (this.released.compareAndSet(false, true)) {
					MemoryBudget.this.charged.addAndGet(-this.bytes);
				}
			}
		}

	}

}
