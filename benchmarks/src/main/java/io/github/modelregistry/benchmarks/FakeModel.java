package io.github.modelregistry.benchmarks;

import java.util.function.Function;

/**
 * A model that costs nothing to create or call, so that the benchmarks measure the holders and not the model.
 * <p>
 * {@link #cheapCall()} reads the model's own fields (the JIT cannot fold it into a constant: the model is reached
 * through the holder's volatile pointer or lock) and checks the closed flag, so a read that ran on a closed model
 * fails the benchmark instead of passing silently. Its result is below 128, so boxing it in the holder's generic
 * {@code read} takes {@link Integer#valueOf(int)}'s cache and allocates nothing.
 */
public final class FakeModel implements AutoCloseable {

	/** The function every read benchmark passes to {@code holder.read}: one shared, non-capturing instance. */
	public static final Function<FakeModel, Integer> CHEAP_CALL = FakeModel::cheapCall;

	private final long generation;

	private final int score;

	private volatile boolean closed;

	public FakeModel(long generation) {
		this.generation = generation;
		this.score = (int) (generation & 0x7F);
	}

	/**
	 * Returns a value that depends on this model; fails if the model is closed.
	 * @return a value in [0, 127]
	 */
	public int cheapCall() {
		if (this.closed) {
			throw new IllegalStateException("Read on closed fake model, generation " + this.generation);
		}
		return this.score;
	}

	public long generation() {
		return this.generation;
	}

	@Override
	public void close() {
		this.closed = true;
	}

}
