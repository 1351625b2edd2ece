package io.github.modelregistry.holder;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;

/**
 * The {@code per-request} strategy: every read loads its own model through the loader, uses it, and closes it. It
 * holds nothing, so there is nothing to publish (publish is refused and reload does nothing: the next read loads
 * whatever the loader returns then). With a real model every request pays a full load: the article's worst case,
 * which the web layer bounds with a bulkhead.
 * <p>
 * Reads hold the read lock of a {@link ReentrantReadWriteLock} only so that {@link #close()} (the write lock) can
 * wait for them; its cost is negligible next to a load.
 *
 * @param <M> the type of model
 */
final class PerRequestModelHolder<M extends AutoCloseable> extends AbstractModelHolder<M> {

	private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

	private final Lock readLock = this.lifecycle.readLock();

	private final Lock writeLock = this.lifecycle.writeLock();

	private final ModelLoader<? extends M> loader;

	PerRequestModelHolder(HolderContext<M> context) {
		super(context);
		this.loader = context.requireLoader();
	}

	@Override
	public <R> R read(Function<? super M, ? extends R> fn) {
		this.readLock.lock();
		try {
			if (isClosed()) {
				throw new HolderClosedException(strategy());
			}
			M model;
			try {
				model = this.context.load(this.loader);
			}
			catch (ModelLoadException ex) {
				throw new ModelUnavailableException("The per-request holder could not load a model for this read: "
						+ ex.getCause().getMessage(), ex.getCause());
			}
			try {
				return fn.apply(model);
			}
			finally {
				closeRetired(model, 0, System.nanoTime());
			}
		}
		finally {
			this.readLock.unlock();
		}
	}

	@Override
	public void publish(M next) {
		closeUnused(next);
		throw new PublishRefusedException(strategy(),
				"it holds no model; every read loads its own through the loader");
	}

	@Override
	public void reload() {
		if (isClosed()) {
			throw new HolderClosedException(strategy());
		}
		// Nothing is held: the next read loads whatever the loader returns by then
	}

	@Override
	public boolean unload() {
		// Nothing is held between reads: each read's model is closed when it ends
		return false;
	}

	@Override
	protected HolderState.Status status() {
		if (isClosed()) {
			return HolderState.Status.CLOSED;
		}
		return this.context.lastLoadFailed() ? HolderState.Status.FAILED : HolderState.Status.AVAILABLE;
	}

	@Override
	protected boolean hasModel() {
		return !isClosed();
	}

	@Override
	protected void swap(M next, long generation) {
		throw new IllegalStateException("per-request never swaps");
	}

	@Override
	protected void uninstall() {
		// Wait for in-flight reads: each closes its own model
		this.writeLock.lock();
		this.writeLock.unlock();
	}

	@Override
	protected long inFlightReads() {
		return this.lifecycle.getReadLockCount();
	}

}
