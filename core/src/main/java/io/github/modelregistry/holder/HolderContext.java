package io.github.modelregistry.holder;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What every strategy shares: its configuration, and loading through the loader with the counters and events that
 * go with it.
 *
 * @param <M> the type of model
 */
final class HolderContext<M extends AutoCloseable> {

	private final HolderStrategy strategy;

	private final @Nullable ModelLoader<? extends M> loader;

	private final HolderListener listener;

	private final Executor retirementExecutor;

	private final int shards;

	private final AtomicLong loads = new AtomicLong();

	private final AtomicLong loadFailures = new AtomicLong();

	private volatile @Nullable Throwable lastFailure;

	private volatile boolean lastLoadFailed;

	HolderContext(HolderStrategy strategy, @Nullable ModelLoader<? extends M> loader, HolderListener listener,
			Executor retirementExecutor, int shards) {
		this.strategy = strategy;
		this.loader = loader;
		this.listener = listener;
		this.retirementExecutor = retirementExecutor;
		this.shards = shards;
	}

	HolderStrategy strategy() {
		return this.strategy;
	}

	@Nullable ModelLoader<? extends M> loader() {
		return this.loader;
	}

	ModelLoader<? extends M> requireLoader() {
		ModelLoader<? extends M> loader = this.loader;
		if (loader == null) {
			throw new IllegalStateException("The " + this.strategy.value() + " holder was built without a loader");
		}
		return loader;
	}

	HolderListener listener() {
		return this.listener;
	}

	Executor retirementExecutor() {
		return this.retirementExecutor;
	}

	int shards() {
		return this.shards;
	}

	/**
	 * Loads a model, recording the outcome.
	 * @throws ModelLoadException if the loader threw or returned {@code null}
	 */
	M load(ModelLoader<? extends M> loader) {
		long start = System.nanoTime();
		try {
			M model = Objects.requireNonNull(loader.load(), "loader returned null");
			this.loads.incrementAndGet();
			this.lastLoadFailed = false;
			this.listener.loaded(Duration.ofNanos(System.nanoTime() - start));
			return model;
		}
		catch (Exception | Error ex) {
			this.loadFailures.incrementAndGet();
			this.lastFailure = ex;
			this.lastLoadFailed = true;
			this.listener.loadFailed(ex, Duration.ofNanos(System.nanoTime() - start));
			if (ex instanceof InterruptedException) {
				Thread.currentThread().interrupt();
			}
			if (ex instanceof VirtualMachineError error) {
				throw error;
			}
			throw new ModelLoadException(
					"Loading a model for the " + this.strategy.value() + " holder failed: " + ex.getMessage(), ex);
		}
	}

	long loads() {
		return this.loads.get();
	}

	long loadFailures() {
		return this.loadFailures.get();
	}

	@Nullable Throwable lastFailure() {
		return this.lastFailure;
	}

	boolean lastLoadFailed() {
		return this.lastLoadFailed;
	}

}
