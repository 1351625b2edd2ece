package io.github.modelregistry.holder;

import java.util.concurrent.locks.ReentrantLock;

/**
 * The {@code mutex} strategy: one non-fair {@link ReentrantLock} held for the whole read, and taken by a publish to
 * swap the model. Reads are serialised, so throughput is one inference at a time whatever the number of cores: the
 * counter-example the comparison needs.
 *
 * @param <M> the type of model
 */
final class MutexModelHolder<M extends AutoCloseable> extends LockingModelHolder<M> {

	private final ReentrantLock lock;

	MutexModelHolder(HolderContext<M> context) {
		this(context, new ReentrantLock());
	}

	private MutexModelHolder(HolderContext<M> context, ReentrantLock lock) {
		super(context, lock, lock);
		this.lock = lock;
	}

	@Override
	protected long inFlightReads() {
		return this.lock.isLocked() ? 1 : 0;
	}

}
