package io.github.modelregistry.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import io.github.modelregistry.holder.HolderListener;
import io.github.modelregistry.holder.HolderState;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.holder.ModelHolder;
import io.github.modelregistry.onnx.OnnxModel;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.TensorSpec;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.ModelVersionNotFoundException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named model in the registry: its holder, the version it serves, and what its last load or reload did.
 */
final class RegisteredModel implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	private final ModelDefinition definition;

	private final ModelRepository repository;

	private final OnnxModelLoader onnx;

	private final ModelHolder<OnnxModel> holder;

	/** Serialises reloads of this model, so that "previous" and "new" versions in reports are exact. */
	private final ReentrantLock reloadLock = new ReentrantLock();

	/** The version the holder's loader loads: resolved on first load, changed by reloads. */
	private volatile @Nullable ModelSource target;

	private volatile @Nullable Served served;

	/** For per-request, which holds nothing: whether a load has succeeded, so that the model counts as ready. */
	private volatile boolean verified;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorAt;

	RegisteredModel(ModelDefinition definition, ModelRepository repository, OnnxModelLoader onnx, int shards,
			Executor retirementExecutor) throws Exception {
		this.definition = definition;
		this.repository = repository;
		this.onnx = onnx;
		var builder = ModelHolder.<OnnxModel>builder(definition.strategy())
			.loader(this::loadTarget)
			.retirementExecutor(retirementExecutor)
			.listener(new LoggingListener());
		if (shards > 0) {
			builder.shards(shards);
		}
		// static loads here, when built; the others load below, in the background or on first use
		this.holder = builder.build();
		if (definition.load() == LoadMode.EAGER) {
			loadNow();
		}
		else if (definition.load() == LoadMode.LAZY && definition.strategy() != HolderStrategy.STATIC) {
			checkLocation();
		}
	}

	private void loadNow() throws Exception {
		if (this.definition.strategy() == HolderStrategy.PER_REQUEST) {
			// Nothing is held, but a model that cannot load should be known now all the same
			loadTarget().close();
			this.verified = true;
		}
		else if (this.definition.strategy() != HolderStrategy.STATIC) {
			this.holder.reload();
		}
	}

	/**
	 * Loads a {@link LoadMode#BACKGROUND background} model on the loader thread, retrying until it succeeds.
	 */
	void loadInBackground(ScheduledExecutorService loader, Duration retryInterval) {
		try {
			loader.execute(() -> {
				try {
					this.target = null;
					loadNow();
				}
				catch (Exception ex) {
					logger.warn("Background load of model '{}' failed; retrying in {} ms: {}", name(),
							retryInterval.toMillis(), ex.getMessage());
					try {
						loader.schedule(() -> loadInBackground(loader, retryInterval), retryInterval.toMillis(),
								TimeUnit.MILLISECONDS);
					}
					catch (RejectedExecutionException shuttingDown) {
						// The registry is closing: stop retrying
					}
				}
			});
		}
		catch (RejectedExecutionException shuttingDown) {
			// The registry is closing: nothing to load for
		}
	}

	/**
	 * Tells an operator at start-up that a lazy model has nothing to load, without loading it.
	 */
	private void checkLocation() {
		try {
			resolve(null);
		}
		catch (RuntimeException ex) {
			recordError(ex);
			logger.warn("Model '{}' ({} strategy, lazy) has nothing to load yet; requests fail until it has: {}",
					name(), this.definition.strategy(), ex.getMessage());
		}
	}

	String name() {
		return this.definition.name();
	}

	ModelDefinition definition() {
		return this.definition;
	}

	ModelHolder<OnnxModel> holder() {
		return this.holder;
	}

	/**
	 * Whether the model can serve now: a model is held, or for per-request, a load has succeeded and the last one
	 * did not fail.
	 */
	boolean available() {
		HolderState.Status status = this.holder.state().status();
		if (this.definition.strategy() == HolderStrategy.PER_REQUEST) {
			return this.verified && status == HolderState.Status.AVAILABLE;
		}
		return status == HolderState.Status.AVAILABLE;
	}

	private OnnxModel loadTarget() throws Exception {
		ModelSource source;
		try {
			source = currentTarget();
		}
		catch (RuntimeException ex) {
			recordError(ex);
			throw ex;
		}
		return load(source);
	}

	private ModelSource currentTarget() {
		ModelSource target = this.target;
		if (target == null) {
			target = resolve(null);
			this.target = target;
		}
		return target;
	}

	private ModelSource resolve(@Nullable Long requested) {
		Long version = (requested != null) ? requested : this.definition.version();
		return (version != null) ? this.repository.version(name(), this.definition.location(), version)
				: this.repository.latest(name(), this.definition.location());
	}

	private OnnxModel load(ModelSource source) throws Exception {
		try {
			Path file = source.file();
			OnnxModel model = (file != null) ? this.onnx.load(name(), source.version(), file)
					: this.onnx.load(name(), source.version(), source.description(), source.bytes());
			this.served = new Served(model.version(), model.source(), model.loadedAt(), model.loadDuration(),
					model.sizeBytes(), model.inputs(), model.outputs());
			this.verified = true;
			if (this.definition.strategy() != HolderStrategy.PER_REQUEST) {
				logger.info("Loaded model '{}' version {} ({} strategy) in {} ms from {}", name(), model.version(),
						this.definition.strategy(), model.loadDuration().toMillis(), model.source());
			}
			return model;
		}
		catch (Exception ex) {
			recordError(ex);
			logger.warn("Loading model '{}' version {} ({} strategy) from {} failed: {}", name(), source.version(),
					this.definition.strategy(), source.description(), ex.getMessage());
			throw ex;
		}
	}

	ReloadResult reload(@Nullable Long requested) {
		long start = System.nanoTime();
		this.reloadLock.lock();
		try {
			Served before = this.served;
			Long previous = (before != null) ? before.version() : null;
			if (this.definition.strategy() == HolderStrategy.STATIC) {
				return new ReloadResult(name(), ReloadResult.Outcome.REFUSED, previous, previous, requested,
						since(start), "Model '" + name() + "' uses the static strategy, which serves the version it "
								+ "started with; choose another strategy to reload models at run time");
			}
			try {
				ModelSource source = resolve(requested);
				OnnxModel next = load(source);
				if (this.definition.strategy() == HolderStrategy.PER_REQUEST) {
					// Each request loads its own model: the new target is what they will load from now on
					next.close();
				}
				else {
					this.holder.publish(next);
				}
				this.target = source;
				Duration took = since(start);
				logger.info("Reloaded model '{}' from version {} to {} ({} strategy) in {} ms", name(), previous,
						source.version(), this.definition.strategy(), took.toMillis());
				return new ReloadResult(name(), ReloadResult.Outcome.RELOADED, previous, source.version(), requested,
						took, "Version " + source.version() + " serves");
			}
			catch (Exception ex) {
				recordError(ex);
				Long serving = available() ? previous : null;
				logger.warn("Reloading model '{}' ({} strategy) failed; version {} keeps serving: {}", name(),
						this.definition.strategy(), serving, ex.getMessage());
				// Nothing was replaced: keep describing what serves
				this.served = before;
				ReloadResult.Outcome outcome = (ex instanceof ModelVersionNotFoundException)
						? ReloadResult.Outcome.NOT_FOUND : ReloadResult.Outcome.FAILED;
				return new ReloadResult(name(), outcome, previous, serving, requested, since(start), describe(ex));
			}
		}
		finally {
			this.reloadLock.unlock();
		}
	}

	private void recordError(Exception ex) {
		this.lastError = describe(ex);
		this.lastErrorAt = Instant.now();
	}

	private static String describe(Throwable ex) {
		String message = ex.getMessage();
		return (message != null) ? message : ex.getClass().getSimpleName();
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	@Nullable Served served() {
		return this.served;
	}

	ModelStatus status() {
		Served served = this.served;
		List<Long> available = List.copyOf(this.repository.versions(name(), this.definition.location()).keySet());
		HolderState state = this.holder.state();
		boolean serving = served != null && available();
		HolderState.Status status = state.status();
		if (this.definition.strategy() == HolderStrategy.PER_REQUEST && status == HolderState.Status.AVAILABLE
				&& !this.verified) {
			status = HolderState.Status.EMPTY;
		}
		// A model not loaded yet whose location already failed is reported as failed rather than empty
		if (status == HolderState.Status.EMPTY && this.lastError != null) {
			status = HolderState.Status.FAILED;
		}
		return new ModelStatus(name(), this.definition.strategy(), this.definition.load(), status,
				serving ? served.version() : null, serving ? served.source() : null,
				serving ? served.loadedAt() : null, serving ? served.loadDuration() : null,
				serving ? served.sizeBytes() : null, available, state, this.lastError, this.lastErrorAt);
	}

	@Override
	public void close() {
		this.holder.close();
	}

	/**
	 * What is known of the version serving, kept so that status and metadata need not touch the model.
	 */
	record Served(long version, String source, Instant loadedAt, Duration loadDuration, long sizeBytes,
			List<TensorSpec> inputs, List<TensorSpec> outputs) {
	}

	private final class LoggingListener implements HolderListener {

		@Override
		public void published(long generation) {
			Served served = RegisteredModel.this.served;
			logger.debug("Model '{}' version {} serves ({} strategy, generation {})", name(),
					(served != null) ? served.version() : "?", RegisteredModel.this.definition.strategy(), generation);
		}

		@Override
		public void retired(long generation, Duration drained) {
			if (RegisteredModel.this.definition.strategy() != HolderStrategy.PER_REQUEST) {
				logger.info("Retired model '{}' generation {} ({} strategy) {} ms after it was replaced", name(),
						generation, RegisteredModel.this.definition.strategy(), drained.toMillis());
			}
		}

		@Override
		public void closeFailed(long generation, Exception failure) {
			logger.warn("Closing model '{}' generation {} failed: {}", name(), generation, failure.getMessage());
		}

	}

}
