package io.github.modelregistry.holder;

import java.util.concurrent.locks.Lock;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The lock-based strategies: a read holds {@code readLock} for its whole duration, a swap holds {@code writeLock}.
 * {@code rwlock} passes the two halves of a read-write lock, {@code mutex} one lock for both.
 * <p>
 * The replaced model is closed right after the write lock is released: once the swap is done under it, no reader
 * holds the old model (they were excluded) and none can reach it (they see the new one), so closing it need not
 * stall readers.
 *
 * @param <M> the type of model
 */
abstract class LockingModelHolder<M extends AutoCloseable> extends AbstractModelHolder<M> {

	private final Lock readLock;

	private final Lock writeLock;

	/** Written under the write lock; volatile so that state and lazy-load checks can read it without the lock. */
	private volatile @Nullable M model;

	LockingModelHolder(HolderContext<M> context, Lock readLock, Lock writeLock) {
		super(context);
		this.readLock = readLock;
		this.writeLock = writeLock;
	}

	@Override
	public <R> R read(Function<? super M, ? extends R> fn) {
		for (;;) {
			this.readLock.lock();
			try {
				M model = this.model;
				if (model != null) {
					return fn.apply(model);
				}
				if (isClosed()) {
					throw new HolderClosedException(strategy());
				}
			}
			finally {
				this.readLock.unlock();
			}
			// Empty: load (or wait for the reader that is loading) outside the lock, then read again
			awaitFirstLoad();
		}
	}

	@Override
	protected boolean hasModel() {
		return this.model != null;
	}

	@Override
	protected void swap(M next, long generation) {
		M replaced = exchange(next);
		if (replaced != null) {
			closeRetired(replaced, generation - 1, System.nanoTime());
		}
	}

	@Override
	protected void uninstall() {
		M last = exchange(null);
		if (last != null) {
			closeRetired(last, generation(), System.nanoTime());
		}
	}

	private @Nullable M exchange(@Nullable M next) {
		this.writeLock.lock();
		try {
			M replaced = this.model;
			this.model = next;
			return replaced;
		}
		finally {
			this.writeLock.unlock();
		}
	}

}
