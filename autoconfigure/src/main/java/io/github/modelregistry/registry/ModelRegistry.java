package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderClosedException;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.holder.ModelHolder;
import io.github.modelregistry.holder.ModelLoadException;
import io.github.modelregistry.holder.ModelUnavailableException;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.onnx.OnnxModel;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import io.github.modelregistry.repository.ModelRepository;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named, versioned ONNX models, each held by the {@link HolderStrategy} it is configured with. Inject it to run
 * inference, read metadata and status, and reload models at run time.
 * <p>
 * {@link LoadMode#EAGER Eager} models load when the registry is created, and a failure there fails it (so the
 * application does not start serving without its model); {@link LoadMode#BACKGROUND background} models load on the
 * {@code model-loader} thread, retried until they succeed; lazy models load on first use. Replaced versions are
 * closed on the {@code model-retirer} thread once their last request has left, never on a request thread.
 * {@link #reload} loads on the calling thread: call it off event-loop threads.
 */
public class ModelRegistry implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	/** How long a failed background load waits before it tries again, unless configured. */
	public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(10);

	private final Map<String, RegisteredModel> models;

	private final List<String> ordered;

	private final ExecutorService retirer;

	private final ScheduledExecutorService loader;

	private final List<ModelRegistryObserver> observers = new CopyOnWriteArrayList<>();

	/** Tells every observer about version events, whenever they were added. */
	private final ModelRegistryObserver allObservers = new ModelRegistryObserver() {

		@Override
		public void versionEvent(String model, long version, VersionEvent event) {
			for (ModelRegistryObserver observer : ModelRegistry.this.observers) {
				observer.versionEvent(model, version, event);
			}
		}

	};

	/**
	 * Creates the registry and loads its eager models; background models start loading.
	 * @param definitions the models to serve
	 * @param repository where the model versions are found
	 * @param onnx how models are loaded
	 * @param shards reader shards for {@code sharded-rcu} and {@code static}; 0 for the default
	 * @throws ModelLoadFailedException if an eager model cannot be loaded
	 */
	public ModelRegistry(Collection<ModelDefinition> definitions, ModelRepository repository, OnnxModelLoader onnx,
			int shards) {
		this(definitions, repository, onnx, shards, DEFAULT_RETRY_INTERVAL);
	}

	/**
	 * Creates the registry and loads its eager models; background models start loading.
	 * @param definitions the models to serve
	 * @param repository where the model versions are found
	 * @param onnx how models are loaded
	 * @param shards reader shards for {@code sharded-rcu} and {@code static}; 0 for the default
	 * @param retryInterval how long a failed background load waits before trying again
	 * @throws ModelLoadFailedException if an eager model cannot be loaded
	 */
	public ModelRegistry(Collection<ModelDefinition> definitions, ModelRepository repository, OnnxModelLoader onnx,
			int shards, Duration retryInterval) {
		this(definitions, repository, onnx, shards, retryInterval, WarmupRequestReader.NONE);
	}

	/**
	 * Creates the registry and loads its eager models; background models start loading; polled models start
	 * polling.
	 * @param definitions the models to serve
	 * @param repository where the model versions are found
	 * @param onnx how models are loaded
	 * @param shards reader shards for {@code sharded-rcu} and {@code static}; 0 for the default
	 * @param retryInterval how long a failed background load waits before trying again
	 * @param warmups reads the warm-up requests a version ships with
	 * @throws ModelLoadFailedException if an eager model cannot be loaded
	 */
	public ModelRegistry(Collection<ModelDefinition> definitions, ModelRepository repository, OnnxModelLoader onnx,
			int shards, Duration retryInterval, WarmupRequestReader warmups) {
		this.retirer = Executors.newSingleThreadExecutor((task) -> daemon(task, "model-retirer"));
		this.loader = Executors.newSingleThreadScheduledExecutor((task) -> daemon(task, "model-loader"));
		Map<String, RegisteredModel> models = new LinkedHashMap<>();
		try {
			for (ModelDefinition definition : definitions) {
				models.put(definition.name(), register(definition, repository, onnx, shards, warmups));
			}
		}
		catch (RuntimeException ex) {
			models.values().forEach(RegisteredModel::close);
			this.loader.shutdownNow();
			this.retirer.shutdown();
			throw ex;
		}
		this.models = Map.copyOf(models);
		this.ordered = List.copyOf(models.keySet());
		logger.info("Model registry serves {}", this.ordered.isEmpty() ? "no models" : describe(models.values()));
		for (RegisteredModel model : models.values()) {
			if (model.definition().load() == LoadMode.BACKGROUND) {
				model.loadInBackground(this.loader, retryInterval);
			}
			Duration poll = model.definition().pollInterval();
			if (poll != null) {
				// On the loader thread: polls never block requests and never run two loads at once
				this.loader.scheduleWithFixedDelay(model::poll, poll.toMillis(), poll.toMillis(),
						TimeUnit.MILLISECONDS);
			}
		}
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private RegisteredModel register(ModelDefinition definition, ModelRepository repository, OnnxModelLoader onnx,
			int shards, WarmupRequestReader warmups) {
		try {
			return new RegisteredModel(definition, repository, onnx, shards, this.retirer, warmups,
					this.allObservers);
		}
		catch (ModelLoadException ex) {
			// The holder's wrapper adds nothing an operator needs: report what the loader threw
			Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
			throw new ModelLoadFailedException(definition.name(), definition.location(), cause);
		}
		catch (Exception ex) {
			throw new ModelLoadFailedException(definition.name(), definition.location(), ex);
		}
	}

	private static String describe(Collection<RegisteredModel> models) {
		List<String> descriptions = new ArrayList<>();
		for (RegisteredModel model : models) {
			RegisteredModel.Served served = model.served();
			descriptions.add("'" + model.name() + "' (" + model.definition().strategy() + ", "
					+ model.definition().load().name().toLowerCase() + ", "
					+ ((served != null) ? "version " + served.version() : "not loaded yet") + ")");
		}
		return String.join(", ", descriptions);
	}

	/**
	 * Adds an observer of inferences and reloads, such as the metrics binder.
	 */
	public void addObserver(ModelRegistryObserver observer) {
		this.observers.add(observer);
	}

	/**
	 * Returns the names of the models served, in configuration order.
	 */
	public List<String> names() {
		return this.ordered;
	}

	/**
	 * Runs one inference.
	 * @param model the model name
	 * @param version the version that must serve it, or {@code null} for the one serving
	 * @param inputs one tensor per model input
	 * @param outputs the outputs to return; all when empty
	 * @return the outputs and the version that produced them
	 * @throws ModelNotFoundException if the model, or that version of it, is not served
	 * @throws ModelUnavailableException if the model is not loaded and cannot be
	 * @throws InvalidTensorException if the inputs do not fit the model
	 */
	public InferenceResult infer(String model, @Nullable Long version, List<Tensor> inputs, List<String> outputs) {
		RegisteredModel registered = require(model);
		HolderStrategy strategy = registered.definition().strategy();
		long start = System.nanoTime();
		long[] entered = { 0 };
		Long[] ran = { null };
		InferenceOutcome outcome = InferenceOutcome.ERROR;
		try {
			ModelHolder<OnnxModel> holder = registered.holderFor(version);
			if (holder == null) {
				throw notServed(registered, version);
			}
			InferenceResult result;
			try {
				result = holder.read((onnx) -> {
					entered[0] = System.nanoTime();
					if (version != null && onnx.version() != version) {
						// Replaced between the lookup and the read
						throw notServed(registered, version);
					}
					ran[0] = onnx.version();
					return new InferenceResult(model, onnx.version(), onnx.run(inputs, outputs));
				});
			}
			catch (HolderClosedException ex) {
				if (version != null && holder != registered.holder()) {
					// The version was retired between the lookup and the read
					throw notServed(registered, version);
				}
				throw ex;
			}
			outcome = InferenceOutcome.SUCCESS;
			return result;
		}
		catch (InvalidTensorException ex) {
			outcome = InferenceOutcome.INVALID;
			throw ex;
		}
		catch (ModelNotFoundException ex) {
			outcome = InferenceOutcome.NOT_FOUND;
			throw ex;
		}
		catch (ModelUnavailableException ex) {
			outcome = InferenceOutcome.UNAVAILABLE;
			throw ex;
		}
		finally {
			if (!this.observers.isEmpty()) {
				long end = System.nanoTime();
				long wait = ((entered[0] != 0) ? entered[0] : end) - start;
				for (ModelRegistryObserver observer : this.observers) {
					observer.inferred(model, strategy, ran[0], wait, end - start, outcome);
				}
			}
		}
	}

	private static ModelNotFoundException notServed(RegisteredModel model, @Nullable Long version) {
		return new ModelNotFoundException("Version " + version + " of model '" + model.name()
				+ "' is not served; served: " + model.servedVersions());
	}

	/**
	 * Returns a model's inputs and outputs, loading it if it is lazy and not loaded yet.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public ModelMetadata metadata(String model) {
		RegisteredModel registered = require(model);
		RegisteredModel.Served served = registered.served();
		if (served == null) {
			return registered.holder()
				.read((onnx) -> new ModelMetadata(registered.name(), List.of(onnx.version()), ModelMetadata.PLATFORM,
						registered.definition().strategy(), onnx.inputs(), onnx.outputs()));
		}
		return new ModelMetadata(model, registered.servedVersions(), ModelMetadata.PLATFORM,
				registered.definition().strategy(), served.inputs(), served.outputs());
	}

	/**
	 * Returns the inputs and outputs of one served version of a model.
	 * @throws ModelNotFoundException if the model or that version is not served
	 */
	public ModelMetadata metadata(String model, long version) {
		RegisteredModel registered = require(model);
		RegisteredModel.Served served = registered.served(version);
		if (served == null) {
			throw notServed(registered, version);
		}
		return new ModelMetadata(model, registered.servedVersions(), ModelMetadata.PLATFORM,
				registered.definition().strategy(), served.inputs(), served.outputs());
	}

	/**
	 * Returns the versions of a model that requests can reach, lowest first; unversioned requests get the
	 * highest.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public List<Long> servedVersions(String model) {
		return require(model).servedVersions();
	}

	/**
	 * Returns what a model is doing.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public ModelStatus status(String model) {
		return require(model).status();
	}

	/**
	 * Returns what every model is doing, in configuration order.
	 */
	public List<ModelStatus> statuses() {
		return this.ordered.stream().map(this::status).toList();
	}

	/**
	 * Whether a model can serve now without loading first.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public boolean available(String model) {
		return require(model).available();
	}

	/**
	 * Whether a model must be available for the registry to be ready: eager, background and {@code static} ones.
	 * Lazy models load on first use, so they do not hold readiness back.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public boolean requiredForReadiness(String model) {
		ModelDefinition definition = require(model).definition();
		return definition.load() != LoadMode.LAZY || definition.strategy() == HolderStrategy.STATIC;
	}

	/**
	 * Whether every model {@link #requiredForReadiness required for readiness} is available.
	 */
	public boolean ready() {
		for (String model : this.ordered) {
			if (requiredForReadiness(model) && !available(model)) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Loads the configured version of a model (the highest found if none is configured) and makes it serve. If the
	 * load fails, the previous version keeps serving and the result says why.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public ReloadResult reload(String model) {
		return observed(require(model).reload(null));
	}

	/**
	 * Loads a given version of a model and makes it serve. If the load fails, the previous version keeps serving
	 * and the result says why.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public ReloadResult reload(String model, long version) {
		return observed(require(model).reload(version));
	}

	private ReloadResult observed(ReloadResult result) {
		for (ModelRegistryObserver observer : this.observers) {
			observer.reloaded(result);
		}
		return result;
	}

	/**
	 * Returns the holder of a model, for metrics and for code that reads the ONNX session directly.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public ModelHolder<OnnxModel> holder(String model) {
		return require(model).holder();
	}

	/**
	 * Whether a model of that name is served.
	 */
	public boolean contains(String model) {
		return this.models.containsKey(model);
	}

	/**
	 * Scans a model's location once, as the poller does; for tests that drive polling step by step.
	 */
	void poll(String model) {
		require(model).poll();
	}

	private RegisteredModel require(String model) {
		RegisteredModel registered = this.models.get(model);
		if (registered == null) {
			throw new ModelNotFoundException(
					"Unknown model '" + model + "'; models served: " + String.join(", ", this.ordered));
		}
		return registered;
	}

	/**
	 * Stops background loads, then closes every model once its in-flight requests have finished.
	 */
	@Override
	public void close() {
		this.loader.shutdownNow();
		for (RegisteredModel model : this.models.values()) {
			model.close();
		}
		this.retirer.shutdown();
		try {
			if (!this.retirer.awaitTermination(30, TimeUnit.SECONDS)) {
				logger.warn("Replaced models were still closing after 30 s");
			}
			this.loader.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		logger.info("Model registry closed {}", this.ordered.isEmpty() ? "" : "its models " + this.ordered);
	}

}
