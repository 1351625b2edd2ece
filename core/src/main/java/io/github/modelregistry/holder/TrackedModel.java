package io.github.modelregistry.holder;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A model with its own striped reader count, closed exactly once after it is retired and its last reader has left.
 * Used by {@code sharded-rcu} (one per published version) and {@code static} (one for the holder's life).
 * <p>
 * Who closes. Retirement ({@link #retire()}) writes the volatile {@code retired} flag, then checks the count; a
 * leaving reader decrements its shard, then reads {@code retired}. Both orders are synchronization actions, so in
 * their total order either the retiring thread's check comes after the last reader's decrement (and sees zero), or
 * that reader's read of {@code retired} comes after the write (and it checks the count itself). At least one of
 * them sees the drained count; the {@code closeClaimed} CAS makes sure exactly one closes.
 * <p>
 * Readers that register after retirement are not counted on: the holders make them back out before they touch the
 * model (sharded-rcu re-checks its version pointer, static its closed flag). Their transient counts can only delay
 * the drain check, never fake it, and their own decrement repeats the check.
 *
 * @param <M> the type of model
 */
final class TrackedModel<M extends AutoCloseable> {

	final M model;

	final long generation;

	private final StripedReaderCount readers;

	private final Consumer<TrackedModel<M>> closer;

	private final AtomicBoolean closeClaimed = new AtomicBoolean();

	private final CompletableFuture<Void> closed = new CompletableFuture<>();

	/** Written before {@link #retired}, so a thread that reads {@code retired == true} sees it. */
	private long retiredAtNanos;

	private volatile boolean retired;

	TrackedModel(M model, long generation, int shards, Consumer<TrackedModel<M>> closer) {
		this.model = model;
		this.generation = generation;
		this.readers = new StripedReaderCount(shards);
		this.closer = closer;
	}

	/**
	 * Registers the calling thread as a reader; the caller must re-check that the model is still current before
	 * using it, and must call {@link #exit(int)} either way.
	 */
	int enter() {
		return this.readers.increment();
	}

	void exit(int shard) {
		this.readers.decrement(shard);
		if (this.retired) {
			closeIfDrained();
		}
	}

	/**
	 * Marks the model as replaced: it is closed as soon as no reader is inside, possibly right now.
	 */
	void retire() {
		this.retiredAtNanos = System.nanoTime();
		this.retired = true;
		closeIfDrained();
	}

	private void closeIfDrained() {
		if (this.readers.isZero() && !this.closeClaimed.get() && this.closeClaimed.compareAndSet(false, true)) {
			this.closer.accept(this);
		}
	}

	long readers() {
		return this.readers.sum();
	}

	long retiredAtNanos() {
		return this.retiredAtNanos;
	}

	/**
	 * Completes once the model has been closed.
	 */
	CompletableFuture<Void> closed() {
		return this.closed;
	}

}
