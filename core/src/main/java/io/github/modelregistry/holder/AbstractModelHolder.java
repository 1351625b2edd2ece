package io.github.modelregistry.holder;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * What the strategies share: publishing under one writer lock, single-flight lazy loading, retirement of replaced
 * models, state and close. Subclasses supply the read path and how a model is swapped in and out.
 * <p>
 * Publishers, lazy installs and close are serialised by {@code publishLock}, which readers never take: the order in
 * which models are installed is the order of their generations, which is what makes the "no older version after a
 * newer one" invariant hold for readers. Loading happens outside that lock.
 *
 * @param <M> the type of model
 */
abstract class AbstractModelHolder<M extends AutoCloseable> implements ModelHolder<M> {

	protected final HolderContext<M> context;

	private final ReentrantLock publishLock = new ReentrantLock();

	/** The first load in flight, shared by every reader that finds the holder empty; null when none is. */
	private final AtomicReference<@Nullable CompletableFuture<Void>> firstLoad = new AtomicReference<>();

	/** Replaced models not yet closed; {@link #close()} waits for them. */
	private final Set<CompletableFuture<Void>> draining = ConcurrentHashMap.newKeySet();

	private final AtomicLong publishes = new AtomicLong();

	private final AtomicLong retired = new AtomicLong();

	/** Written under publishLock. */
	private volatile long generation;

	private volatile boolean closed;

	/** How many {@link #unload()} calls are in progress. */
	private volatile int unloading;

	AbstractModelHolder(HolderContext<M> context) {
		this.context = context;
	}

	/**
	 * Whether a model is installed.
	 */
	protected abstract boolean hasModel();

	/**
	 * Installs {@code next} and retires the model it replaces. Called under the publish lock.
	 */
	protected abstract void swap(M next, long generation);

	/**
	 * Removes the current model, if any, and retires it. Called under the publish lock once {@link #isClosed()}, or
	 * by {@link #unload()}: a later read finds the holder empty and loads.
	 */
	protected abstract void uninstall();

	/**
	 * Returns how many reads are inside the holder.
	 */
	protected abstract long inFlightReads();

	@Override
	public HolderStrategy strategy() {
		return this.context.strategy();
	}

	@Override
	public void publish(M next) {
		Objects.requireNonNull(next, "next");
		this.publishLock.lock();
		try {
			if (this.closed) {
				closeUnused(next);
				throw new HolderClosedException(strategy());
			}
			install(next);
		}
		finally {
			this.publishLock.unlock();
		}
	}

	@Override
	public void reload() {
		ModelLoader<? extends M> loader = this.context.requireLoader();
		if (this.closed) {
			throw new HolderClosedException(strategy());
		}
		publish(this.context.load(loader));
	}

	/**
	 * Retires the current model under the publish lock, as a close does without closing the holder, then waits for
	 * what is draining. The generation stays that of the model unloaded; the next load installs the one after it, so
	 * readers still never see generations out of order.
	 */
	@Override
	public boolean unload() {
		this.context.requireLoader();
		List<CompletableFuture<Void>> waiting;
		UNLOADING.getAndIncrement(this);
		try {
			this.publishLock.lock();
			try {
				if (this.closed || !hasModel()) {
					return false;
				}
				uninstall();
				waiting = List.copyOf(this.draining);
			}
			finally {
				this.publishLock.unlock();
			}
			// The unloaded model (and any replaced one still draining) closes once its readers leave
			for (CompletableFuture<Void> closing : waiting) {
				closing.join();
			}
			return true;
		}
		finally {
			UNLOADING.getAndDecrement(this);
		}
	}

	/**
	 * Whether an {@link #unload()} is waiting for the readers of the model it unloaded. A strategy whose readers
	 * never wait ({@code sharded-rcu}) has them give up the processor while this is so: otherwise, on saturated
	 * cores, the unloading thread and the readers preempted inside the unloaded model wait behind readers of the next
	 * model for the scheduler's turn, several times per unload.
	 */
	protected final boolean unloadWaiting() {
		return this.unloading != 0;
	}

	/**
	 * Installs {@code next} as the next generation. Called under the publish lock.
	 */
	private void install(M next) {
		long nextGeneration = this.generation + 1;
		swap(next, nextGeneration);
		this.generation = nextGeneration;
		this.publishes.incrementAndGet();
		this.context.listener().published(nextGeneration);
	}

	/**
	 * Waits until the holder has a model, loading it if no other reader is: the first load is single-flight.
	 * Returns normally once a model is installed; readers then retry their read.
	 * @throws ModelUnavailableException if the load failed, there is no loader, or the holder is closed
	 */
	protected final void awaitFirstLoad() {
		for (;;) {
			if (this.closed) {
				throw new HolderClosedException(strategy());
			}
			CompletableFuture<Void> inFlight = this.firstLoad.get();
			if (inFlight == null) {
				ModelLoader<? extends M> loader = this.context.loader();
				if (loader == null) {
					throw new ModelUnavailableException(
							"No model has been published to this " + strategy().value() + " holder");
				}
				CompletableFuture<Void> mine = new CompletableFuture<>();
				if (!this.firstLoad.compareAndSet(null, mine)) {
					// Another reader started the load between our get and CAS: wait for it
					continue;
				}
				try {
					// Recheck: a load or publish may have installed a model since the caller looked
					if (!hasModel()) {
						awaitDrained();
						installIfEmpty(this.context.load(loader));
					}
					mine.complete(null);
				}
				catch (Throwable ex) {
					mine.completeExceptionally(ex);
				}
				finally {
					this.firstLoad.set(null);
				}
				inFlight = mine;
			}
			try {
				inFlight.join();
				return;
			}
			catch (CompletionException ex) {
				Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
				if (cause instanceof HolderClosedException closedException) {
					throw closedException;
				}
				Throwable loadFailure = (cause instanceof ModelLoadException && cause.getCause() != null)
						? cause.getCause() : cause;
				throw new ModelUnavailableException("The " + strategy().value()
						+ " holder could not load its model: " + loadFailure.getMessage(), loadFailure);
			}
		}
	}

	/**
	 * Waits until every retired model has closed. The first load after an {@link #unload()} calls this before it
	 * loads, and every reader that finds the holder empty waits for that load: so while an unloaded model drains, no
	 * reader of this holder runs, and the cores go to the readers still inside it. Without this, under saturation,
	 * readers of the model loaded next keep every core busy while a reader preempted inside the unloaded one waits
	 * for the scheduler to come back to it (about 10 ms with 8 busy readers on 2 cores, and far longer with
	 * other processes competing): the drain, and so the unload, would take as long as a full turn of the run
	 * queue. It also keeps one copy in memory, the point of unloading. A read's function must not read the same
	 * holder: that read would wait for its own read to leave.
	 */
	private void awaitDrained() {
		for (CompletableFuture<Void> closing : this.draining) {
			closing.join();
		}
	}

	private void installIfEmpty(M model) {
		this.publishLock.lock();
		try {
			if (this.closed) {
				closeUnused(model);
				throw new HolderClosedException(strategy());
			}
			if (hasModel()) {
				// A publish won the race: the loaded model was never served
				closeUnused(model);
			}
			else {
				install(model);
			}
		}
		finally {
			this.publishLock.unlock();
		}
	}

	/**
	 * Creates the reader-counted wrapper of a model about to be installed.
	 */
	protected final TrackedModel<M> track(M model, long generation) {
		return new TrackedModel<>(model, generation, this.context.shards(), this::closeDrained);
	}

	/**
	 * Retires a replaced tracked model: it closes once its last reader has left, possibly right now.
	 */
	protected final void retire(TrackedModel<M> replaced) {
		CompletableFuture<Void> closed = replaced.closed();
		this.draining.add(closed);
		closed.whenComplete((ignored, ex) -> this.draining.remove(closed));
		replaced.retire();
	}

	private void closeDrained(TrackedModel<M> drained) {
		Runnable close = () -> {
			try {
				closeRetired(drained.model, drained.generation, drained.retiredAtNanos());
			}
			finally {
				drained.closed().complete(null);
			}
		};
		try {
			this.context.retirementExecutor().execute(close);
		}
		catch (RejectedExecutionException ex) {
			close.run();
		}
	}

	/**
	 * Closes a model that has served and that no reader can reach any more.
	 */
	protected final void closeRetired(M model, long generation, long retiredAtNanos) {
		try {
			model.close();
		}
		catch (Exception ex) {
			this.context.listener().closeFailed(generation, ex);
		}
		finally {
			this.retired.incrementAndGet();
			this.context.listener().retired(generation, Duration.ofNanos(System.nanoTime() - retiredAtNanos));
		}
	}

	/**
	 * Closes a model that never served, such as a refused publish.
	 */
	protected static void closeUnused(AutoCloseable model) {
		try {
			model.close();
		}
		catch (Exception ex) {
			// Never served, so nothing can be affected; the caller learns of the refusal from its exception
		}
	}

	protected final boolean isClosed() {
		return this.closed;
	}

	protected final long generation() {
		return this.generation;
	}

	/**
	 * Records the model a holder starts with without a publish, as {@code static} does.
	 */
	protected final void markInstalled(long generation) {
		this.generation = generation;
		this.publishes.incrementAndGet();
		this.context.listener().published(generation);
	}

	protected HolderState.Status status() {
		if (this.closed) {
			return HolderState.Status.CLOSED;
		}
		if (hasModel()) {
			return HolderState.Status.AVAILABLE;
		}
		if (this.firstLoad.get() != null) {
			return HolderState.Status.LOADING;
		}
		return this.context.lastLoadFailed() ? HolderState.Status.FAILED : HolderState.Status.EMPTY;
	}

	@Override
	public HolderState state() {
		return new HolderState(strategy(), status(), this.generation, inFlightReads(), this.draining.size(),
				this.context.loads(), this.context.loadFailures(), this.publishes.get(), this.retired.get(),
				this.context.lastFailure());
	}

	@Override
	public void close() {
		this.publishLock.lock();
		try {
			if (!this.closed) {
				this.closed = true;
				uninstall();
			}
		}
		finally {
			this.publishLock.unlock();
		}
		// No model can be installed or retired any more: wait for those already draining
		awaitDrained();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + "[" + strategy().value() + ", generation " + this.generation + "]";
	}

	@SuppressWarnings("rawtypes")
	private static final AtomicIntegerFieldUpdater<AbstractModelHolder> UNLOADING = AtomicIntegerFieldUpdater
		.newUpdater(AbstractModelHolder.class, "unloading");

}
