package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * How one model's concurrent requests are merged into batches, with Triton's dynamic batcher's semantics: a batch is
 * run whenever an inference thread is free to run it, holding whatever compatible requests are queued, up to
 * {@code maxBatchSize} rows; a {@code maxQueueDelay} above zero lets a free thread wait that long for more, but only
 * while neither a full batch nor one of the {@code preferredBatchSizes} can be formed.
 *
 * @param maxBatchSize the most rows (first-dimension entries, summed over the requests) one run takes; a request
 * with more runs alone
 * @param maxQueueDelay how long a free inference thread may wait for more requests to fill a batch; zero never waits
 * @param preferredBatchSizes row counts worth running at once without waiting out the delay; empty for none
 * @param maxQueueSize the most requests waiting for a batch; one more is refused at once as overloaded (429)
 * @param queueTimeout the longest a request may wait before its batch starts; past it, it is refused as unavailable
 * (503) and counted as rejected, never as a failure of the model; {@code null} for no limit
 */
public record Batching(int maxBatchSize, Duration maxQueueDelay, List<Integer> preferredBatchSizes, int maxQueueSize,
		@Nullable Duration queueTimeout) {

	/** Triton's and this project's defaults: 64 rows, no delay, no preferred sizes, 1,000 queued, no time-out. */
	public static final Batching DEFAULTS = new Batching(64, Duration.ZERO, List.of(), 1000, null);

	public Batching {
		if (maxBatchSize < 1) {
			throw new IllegalArgumentException("max-batch-size must be at least 1, was " + maxBatchSize);
		}
		Objects.requireNonNull(maxQueueDelay, "maxQueueDelay");
		if (maxQueueDelay.isNegative()) {
			throw new IllegalArgumentException("max-queue-delay must not be negative, was " + maxQueueDelay);
		}
		preferredBatchSizes = List.copyOf(preferredBatchSizes);
		for (int size : preferredBatchSizes) {
			if (size < 1 || size > maxBatchSize) {
				throw new IllegalArgumentException("preferred-batch-sizes must lie between 1 and max-batch-size ("
						+ maxBatchSize + "), not " + size);
			}
		}
		if (maxQueueSize < 1) {
			throw new IllegalArgumentException("max-queue-size must be at least 1, was " + maxQueueSize);
		}
		if (queueTimeout != null && (queueTimeout.isNegative() || queueTimeout.isZero())) {
			throw new IllegalArgumentException("queue-timeout must be positive, was " + queueTimeout);
		}
	}

	/**
	 * Whether a batch of that many rows is worth running at once, without waiting out the delay.
	 */
	boolean runsAt(int rows) {
		return rows >= this.maxBatchSize || this.preferredBatchSizes.contains(rows);
	}

}
