package io.github.modelregistry.holder;

import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The {@code rwlock} strategy: reads hold the read lock of a non-fair {@link ReentrantReadWriteLock} for their whole
 * duration; a publish takes the write lock to swap the model.
 * <p>
 * What it costs: every read writes the lock's one shared state word (a contended cache line as cores are added),
 * and a publish waits for every in-flight read to finish while new reads queue behind it.
 *
 * @param <M> the type of model
 */
final class ReadWriteLockModelHolder<M extends AutoCloseable> extends LockingModelHolder<M> {

	private final ReentrantReadWriteLock lock;

	ReadWriteLockModelHolder(HolderContext<M> context) {
		this(context, new ReentrantReadWriteLock());
	}

	private ReadWriteLockModelHolder(HolderContext<M> context, ReentrantReadWriteLock lock) {
		super(context, lock.readLock(), lock.writeLock());
		this.lock = lock;
	}

	@Override
	protected long inFlightReads() {
		return this.lock.getReadLockCount();
	}

}
