package io.github.modelregistry.holder;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Counts the readers inside one model, striped over a power-of-two number of shards so that readers on different
 * cores do not write the same cache line.
 * <p>
 * Implementation notes. Shards are slots of one {@code long[]} spaced {@value #PAD} longs (128 bytes) apart, with a
 * gap of the same size before the first: two shards never share a 64-byte line, nor the pair of lines that
 * Intel's adjacent-line prefetcher fetches together, and the first shard does not share a line with the array
 * header. This is the "spacing slots in an array" form of padding (see {@code java.util.concurrent.Exchanger});
 * JDK-internal {@code @Contended} is not available to us.
 * <p>
 * A thread picks its shard from its id with a Fibonacci hash (the top bits of id × 2^64/φ): no shared counter, no
 * thread-local lookup, and consecutive thread ids (which is how pools name their workers) land on different
 * shards. Two threads may share a shard; that costs contention on one line, never correctness.
 * <p>
 * Increments and decrements are {@code getAndAdd} and the drain check reads with {@code getVolatile}: all are
 * synchronization actions, totally ordered with the volatile writes the holders make. The holders' correctness
 * arguments (the store-load "Dekker" pattern between a reader's increment and re-check and a publisher's swap and
 * drain check) depend on that total order; release/acquire alone would not be enough.
 */
final class StripedReaderCount {

	/** Spacing between shards, in longs: 128 bytes. */
	private static final int PAD = 16;

	/** 2^64 divided by the golden ratio: multiplicative (Fibonacci) hashing. */
	private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;

	private final long[] counts;

	private final int mask;

	/** 64 - log2(shards): the top bits of the hash pick the shard. */
	private final int shift;

	StripedReaderCount(int shards) {
		if (Integer.bitCount(shards) != 1) {
			throw new IllegalArgumentException("shards must be a power of two, was " + shards);
		}
		this.counts = new long[(shards + 1) * PAD];
		this.mask = shards - 1;
		this.shift = 64 - Integer.numberOfTrailingZeros(shards);
	}

	/**
	 * Registers the calling thread as a reader.
	 * @return the shard to pass to {@link #decrement(int)}
	 */
	int increment() {
		@SuppressWarnings("deprecation") // Thread.threadId() is Java 19+
		int shard = shardOf(Thread.currentThread().getId(), this.shift);
		COUNTS.getAndAdd(this.counts, index(shard), 1L);
		return shard;
	}

	void decrement(int shard) {
		COUNTS.getAndAdd(this.counts, index(shard), -1L);
	}

	boolean isZero() {
		for (int shard = 0; shard <= this.mask; shard++) {
			if ((long) COUNTS.getVolatile(this.counts, index(shard)) != 0L) {
				return false;
			}
		}
		return true;
	}

	long sum() {
		long sum = 0;
		for (int shard = 0; shard <= this.mask; shard++) {
			sum += (long) COUNTS.getVolatile(this.counts, index(shard));
		}
		return sum;
	}

	int shards() {
		return this.mask + 1;
	}

	/**
	 * Returns the shard of a thread: the top {@code 64 - shift} bits of its id's Fibonacci hash.
	 * @param shift 64 minus the base-2 logarithm of the number of shards (64 for one shard)
	 */
	static int shardOf(long threadId, int shift) {
		// A shift of 64 would be taken modulo 64 by Java: one shard is shard 0
		return (shift == 64) ? 0 : (int) ((threadId * GOLDEN_GAMMA) >>> shift);
	}

	private static int index(int shard) {
		return (shard + 1) * PAD;
	}

	// VarHandle mechanics
	private static final VarHandle COUNTS = MethodHandles.arrayElementVarHandle(long[].class);

}
