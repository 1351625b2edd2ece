package io.github.modelregistry.holder;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The {@code sharded-rcu} strategy: readers never block and never write a cache line shared with a reader on
 * another core; a publisher swaps one pointer and the replaced model closes after its last reader leaves.
 * <p>
 * Algorithm. The holder keeps a volatile pointer {@code current} to a {@link TrackedModel}: the model, its
 * generation, and a reader count striped over padded per-thread shards ({@link StripedReaderCount}). A read:
 * <ol>
 * <li>reads {@code current} (call it {@code v});</li>
 * <li>increments its shard of {@code v}'s count;</li>
 * <li>re-reads {@code current}: if it is still {@code v}, runs the caller's function on {@code v}'s model and
 * decrements; otherwise decrements and starts again (a publish happened in between).</li>
 * </ol>
 * A publish (serialised by the publish lock, which readers never take) writes the new version to {@code current},
 * then retires the old one: it is closed by whichever thread first sees all of its shards at zero, the publisher
 * or the last reader leaving ({@link TrackedModel}).
 * <p>
 * Why no read runs on a closed model. The increment (2), the re-read (3), the publisher's write of {@code current}
 * and its reads of the shards are all synchronization actions, so they are totally ordered. If the re-read saw
 * {@code v}, it precedes the publisher's write, hence so does the increment, and the publisher's later scan of the
 * shards sees it: the count cannot read zero until this reader decrements. If the re-read did not see {@code v},
 * the reader never touches {@code v}'s model. Both sides are needed: this is the store-load (Dekker) pattern, and
 * it would be broken by weakening either the increment or the pointer accesses to release/acquire. Versions are new
 * objects, never reused, so the re-check cannot be fooled by ABA. Once {@code v} is replaced, only readers that
 * back out can raise its count, so the count of readers that may use it only falls: a scan that reads each shard
 * at zero proves it has drained.
 * <p>
 * Why a reader never sees an older generation after a newer one. Publishes are installed under one lock in
 * generation order, and a reader uses only a version that was {@code current} at its re-read; a later read by the
 * same thread reads {@code current} again, which by then is that version or a later one.
 * <p>
 * What it costs. A read is two volatile loads of {@code current}, one atomic add and one atomic subtract on a line
 * this thread's shard owns, and one volatile load of the retired flag: tens of nanoseconds uncontended, and
 * (unlike a read-write lock, whose single reader count every reader writes) flat as threads are added, as long as
 * threads land on different shards. A publish allocates a count array of (shards + 1) × 128 bytes. Compared with
 * TensorFlow Serving's {@code FastReadDynamicPtr}, which this follows (per-CPU shards, padding, a writer that waits
 * for old readers), readers take no shard mutex and do not copy a reference-counted pointer; and the writer does
 * not block: retirement finishes in the background, while {@link #close()} waits for it.
 *
 * @param <M> the type of model
 */
final class ShardedRcuModelHolder<M extends AutoCloseable> extends AbstractModelHolder<M> {

	private volatile @Nullable TrackedModel<M> current;

	ShardedRcuModelHolder(HolderContext<M> context) {
		super(context);
	}

	@Override
	public <R> R read(Function<? super M, ? extends R> fn) {
		for (;;) {
			TrackedModel<M> version = this.current;
			if (version == null) {
				awaitFirstLoad();
				continue;
			}
			if (unloadWaiting()) {
				// Give the processor to the unloader and the readers it waits for (see unloadWaiting)
				Thread.yield();
			}
			int shard = version.enter();
			if (version == this.current) {
				try {
					return fn.apply(version.model);
				}
				finally {
					version.exit(shard);
				}
			}
			// A publish replaced the version between our read and our registration: back out and use the new one
			version.exit(shard);
		}
	}

	@Override
	protected boolean hasModel() {
		return this.current != null;
	}

	@Override
	protected void swap(M next, long generation) {
		TrackedModel<M> replaced = this.current;
		this.current = track(next, generation);
		if (replaced != null) {
			retire(replaced);
		}
	}

	@Override
	protected void uninstall() {
		TrackedModel<M> last = this.current;
		this.current = null;
		if (last != null) {
			retire(last);
		}
	}

	@Override
	protected long inFlightReads() {
		TrackedModel<M> version = this.current;
		return (version != null) ? version.readers() : 0;
	}

}
