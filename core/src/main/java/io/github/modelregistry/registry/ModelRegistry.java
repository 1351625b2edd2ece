package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.pipeline.Pipeline;
import io.github.modelregistry.holder.ModelLoadException;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.tensor.TensorSpec;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Named, versioned models, each held by the strategy it is configured with: the one door through which every face
 * (the V2 REST API, gRPC, Actuator) and a user's own code run inference, read metadata and status, and reload models.
 * Made by a {@link #builder() builder}; {@link #start() started} by the application's lifecycle.
 * <p>
 * <strong>Inference</strong> runs either on the caller's thread ({@link #infer}) or on the registry's bounded
 * inference pool ({@link #inferAsync}), never on a Netty event loop. Both apply the model's
 * {@link InferenceProtection protection} to the model's work only: an unknown model or version is refused before
 * any permit is asked for; the permit is asked for without waiting (a full bulkhead or queue is refused at once);
 * and only the model's own failures (its runtime threw, it could not load, it ran out of time) count against its
 * circuit breaker. An invalid request, a version retired meanwhile and a caller that went away are not counted, and
 * a caller's own code never runs inside the protected call.
 * <p>
 * <strong>Lifecycle.</strong> {@link #start()} loads the {@link LoadMode#EAGER eager} models (a failure there fails
 * it, so that the application does not start serving without its model), starts loading the
 * {@link LoadMode#BACKGROUND background} ones on the {@code model-loader} thread, retried until they succeed, and
 * starts the pollers. Lazy models load on first use. Replaced versions are closed on the {@code model-retirer}
 * thread once their last request has left, never on a request thread. {@link #reload} loads on the calling thread:
 * call it off event-loop threads.
 * <p>
 * Every exception it throws is a {@link ModelRegistryException}; the asynchronous forms complete exceptionally
 * with one.
 *
 * <h2>Implementation</h2>
 * This class is a façade; each job is a collaborator of its own, in this package:
 * <ul>
 * <li>{@link Registrations}: the set of models served, by name, read by requests without a lock and changed (start,
 * register, unregister, close) under a monitor requests never take. A name being registered is reserved while it
 * loads, outside the monitor, so that a slow load holds no other registration and no request.</li>
 * <li>{@link ModelFactory}: what the builder set, making a {@link ServedModel} (versions, protection, caller-runs
 * rule, batcher) for a configured model and for one registered at run time alike.</li>
 * <li>{@link Admission}: admission (registry running, model registered, version served, a permit without waiting)
 * and dispatch (batcher, caller's thread, or the bounded {@link InferencePool}), with the time limit.</li>
 * <li>{@link BackgroundWork}: the {@code model-loader} thread (background loads with retries, polls, listing
 * refreshes) and the {@code model-retirer} thread (closing replaced versions).</li>
 * <li>{@link RegisteredModel}: one model's versions, holders, loads, reloads and status; {@link MemoryBudget} and
 * {@link LeastRecentlyUsedEviction}: native memory across every model.</li>
 * </ul>
 * Inspection (status, metadata, versions, memory) reads what the registered models keep in memory and loads nothing,
 * but for the metadata of a lazy model not loaded yet. Invariants: a request finds a model in the map or gets
 * {@link ModelNotFoundException}, never a half-made one; a model is started by exactly one of {@link #start()} and
 * its registration; after {@link #close()} nothing is added and every model's versions are closed once their
 * requests have left. Costs on the request path: one map lookup, two volatile reads (running, unregistered), the
 * holder's read and the permit; nothing else is shared between requests of different models.
 */
public final class ModelRegistry implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	/** How long a failed background load waits before it tries again, unless configured. */
	public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofSeconds(10);

	private final Registrations registrations;

	private final ModelFactory factory;

	private final Admission admission;

	private final BackgroundWork background;

	private final InferencePool pool;

	/** What every loaded version is charged in native memory, and the most it may be. */
	private final MemoryBudget memoryBudget;

	private final List<ModelRegistryObserver> observers = new CopyOnWriteArrayList<>();

	/** Tells every observer about version events, whenever they were added. */
	private final ModelRegistryObserver allObservers = new ModelRegistryObserver() {

		@Override
		public void versionEvent(String model, long version, VersionEvent event) {
			if (event == VersionEvent.PUBLISH) {
				// A version charged in an earlier load turn now serves, and can be unloaded to make room
				ModelRegistry.this.memoryBudget.changed();
			}
			for (ModelRegistryObserver observer : ModelRegistry.this.observers) {
				observer.versionEvent(model, version, event);
			}
		}

	};

	private ModelRegistry(Builder builder) {
		this.background = new BackgroundWork(builder.retryInterval, builder.listingInterval);
		this.pool = new InferencePool(builder.inferenceThreads, builder.maxQueuedInferences);
		this.observers.addAll(builder.observers);
		this.factory = new ModelFactory(builder);
		Registrations registrations = new Registrations();
		this.registrations = registrations;
		this.memoryBudget = new MemoryBudget(builder.memoryMax, new LeastRecentlyUsedEviction(
				() -> registrations.all().stream().map(ServedModel::registered).toList()));
		for (ModelDefinition definition : builder.definitions.values()) {
			InCodeModel inCode = builder.inCode.get(definition.name());
			if (inCode == null) {
				this.factory.requireLoader(definition);
			}
			registrations.configure(newModel(definition, inCode));
		}
		this.admission = new Admission(this.registrations, this.pool, this.observers, builder.observationRegistry,
				builder.observationConvention);
	}

	private ServedModel newModel(ModelDefinition definition, @Nullable InCodeModel inCode) {
		return this.factory.create(definition, inCode, this.background, this.allObservers, this.memoryBudget,
				this.pool, this.observers);
	}

	/**
	 * Starts building a registry.
	 */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Loads the eager models, starts loading the background ones and starts polling. Idempotent.
	 * @throws ModelLoadFailedException if an eager model cannot be loaded; the registry is closed then
	 */
	public void start() {
		List<ServedModel> models = this.registrations.start();
		if (models == null) {
			return;
		}
		for (ServedModel model : models) {
			try {
				model.registered().start();
			}
			catch (Exception ex) {
				close();
				ModelDefinition definition = model.registered().definition();
				throw new ModelLoadFailedException(definition.name(), definition.location(), loadFailure(ex));
			}
		}
		logger.info("Model registry serves {}", models.isEmpty() ? "no models" : describe(models));
		models.forEach(this.background::schedule);
	}

	/**
	 * What a load threw, for an operator: the holder's wrapper adds nothing.
	 */
	private static Throwable loadFailure(Throwable ex) {
		return (ex instanceof ModelLoadException && ex.getCause() != null) ? ex.getCause() : ex;
	}

	/**
	 * Whether {@link #start()} has run and {@link #close()} has not.
	 */
	public boolean isRunning() {
		return this.registrations.isRunning();
	}

	private static String describe(List<ServedModel> models) {
		List<String> descriptions = new ArrayList<>();
		for (ServedModel model : models) {
			RegisteredModel registered = model.registered();
			Long version = registered.primaryVersion();
			descriptions.add("'" + registered.name() + "' (" + registered.definition().strategy() + ", "
					+ registered.definition().load().name().toLowerCase(java.util.Locale.ROOT) + ", "
					+ ((version != null) ? "version " + version : "not loaded yet") + ")");
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
	 * Returns the names of the models served: the configured ones in configuration order, then those registered
	 * at run time in the order they were.
	 */
	public List<String> names() {
		return this.registrations.names();
	}

	/**
	 * Returns what the base path holds and what is served: every model folder under the
	 * {@link Builder#basePath base path} with a version in it, and every model served, by name. For the Open
	 * Inference Protocol's repository index.
	 */
	public List<RepositoryModel> repositoryIndex() {
		SortedSet<String> names = new TreeSet<>(this.registrations.names());
		names.addAll(this.factory.modelsUnderBasePath());
		List<RepositoryModel> index = new ArrayList<>();
		for (String name : names) {
			ServedModel model = this.registrations.find(name);
			if (model == null) {
				index.add(new RepositoryModel(name, null, null));
				continue;
			}
			ModelStatus status = model.registered().status();
			index.add(new RepositoryModel(name, status.version(), status.state()));
		}
		return index;
	}

	/**
	 * Adds a model found under the registry's {@link Builder#basePath base path}, {@code <base>/<name>}, served by
	 * the registry's {@link Builder#defaultStrategy default strategy}, loaded now, its highest version serving; see
	 * {@link #register(ModelDefinition)}. The name is the only thing a caller says: it must be a folder name
	 * (letters, digits, {@code .}, {@code _}, {@code -}, not starting with a dot), and the folder it names must
	 * really be inside the base, symbolic links resolved.
	 * @throws InvalidModelNameException if the name is not a folder name, reaches outside the base, or no base is
	 * set
	 */
	public ModelStatus register(String name) {
		return register(name, false);
	}

	/**
	 * Adds a model found under the base path, as {@link #register(String)} does, and says whether the registry may
	 * unload it to make room in its memory budget ({@link Builder#memoryMax}). An evictable model is loaded and warmed
	 * up before this returns all the same, but held as a {@link LoadMode#LAZY lazy} model: when a load needs room and
	 * it is the least recently used evictable model, it is unloaded, and its next request loads it again. Its
	 * strategy must be one that unloads ({@code sharded-rcu}, {@code rwlock}, {@code mutex}).
	 * @param name the model's name, which is also its folder's
	 * @param evictable whether it may be unloaded to make room
	 * @throws InvalidModelNameException if the name is not a folder name inside the base path
	 * @throws InvalidRegistrationException if it is to be evictable and the default strategy cannot unload it
	 * @throws ModelMemoryExceededException if it does not fit the memory budget, even once every evictable model
	 * that can be is unloaded
	 */
	public ModelStatus register(String name, boolean evictable) {
		String location = this.factory.locationOf(name);
		HolderStrategy strategy = this.factory.defaultStrategy();
		LoadMode load = evictable ? LoadMode.LAZY : LoadMode.EAGER;
		String notEvictable = evictable ? ModelDefinition.whyNotEvictable(name, strategy, load) : null;
		if (notEvictable != null) {
			// The caller's choice, not a programming error: refused in the registry's words, for the faces' tables
			throw new InvalidRegistrationException(notEvictable);
		}
		ModelDefinition definition = new ModelDefinition(name, location, VersionPolicy.LATEST, strategy, load, null,
				true, evictable);
		return register(definition, null, evictable);
	}

	/**
	 * Adds a model to a started registry and returns its status once it can serve as its load mode says: an eager
	 * model is loaded (and warmed up) on the calling thread before this returns, a background one starts loading on
	 * the loader thread, a lazy one has its location checked. Until then no request can reach it; a failure leaves
	 * the registry as it was. Requests for other models are never held: the set of models changes without a lock
	 * that requests take.
	 * @throws ModelAlreadyRegisteredException if a model of that name is served or being registered now (of two
	 * concurrent registrations of one name, exactly one succeeds)
	 * @throws ModelLoadFailedException if the model must load now and cannot, or its location has nothing to load
	 * @throws ModelUnavailableException if the registry is not started yet or is closed
	 */
	public ModelStatus register(ModelDefinition definition) {
		return register(definition, null, false);
	}

	/**
	 * Adds a model built in code to a started registry; see {@link Builder#model(InferenceModel, HolderStrategy)}
	 * and {@link #register(ModelDefinition)}. The registry owns it from this call on, even when the call throws.
	 */
	public ModelStatus register(InferenceModel model, HolderStrategy strategy) {
		InCodeModel inCode = new InCodeModel(model, strategy);
		return register(inCode.definition(), inCode, false);
	}

	/**
	 * @param loadNow whether to load a lazy model before it is reachable all the same, so that its first request
	 * does not wait and a folder that does not load is refused now
	 */
	private ModelStatus register(ModelDefinition definition, @Nullable InCodeModel inCode, boolean loadNow) {
		String name = definition.name();
		try {
			this.registrations.reserve(name);
		}
		catch (RuntimeException refusal) {
			InCodeModel.closeQuietly(inCode);
			throw refusal;
		}
		try {
			ServedModel model = load(definition, inCode, loadNow);
			try {
				this.registrations.add(model);
			}
			catch (ModelUnavailableException closed) {
				model.registered().close();
				InCodeModel.closeQuietly(inCode);
				throw closed;
			}
			this.background.schedule(model);
			for (ModelRegistryObserver observer : this.observers) {
				observer.registered(name, definition.strategy().value());
			}
			logger.info("Registered {}", describe(List.of(model)));
			return model.registered().status();
		}
		finally {
			this.registrations.release(name);
		}
	}

	/**
	 * Makes and starts a model being registered; on failure closes what was made and says why in the registry's
	 * words.
	 */
	private ServedModel load(ModelDefinition definition, @Nullable InCodeModel inCode, boolean loadNow) {
		ServedModel model = null;
		try {
			model = newModel(definition, inCode);
			model.registered().start();
			if (loadNow && definition.load() == LoadMode.LAZY) {
				model.registered().loadNow();
			}
			return model;
		}
		catch (Exception | Error ex) {
			if (model != null) {
				model.registered().close();
			}
			InCodeModel.closeQuietly(inCode);
			if (ex instanceof ModelRegistryException refusal) {
				throw refusal;
			}
			if (ex instanceof Error error) {
				throw error;
			}
			Throwable cause = loadFailure(ex);
			if (cause instanceof ModelMemoryExceededException memory) {
				throw memory;
			}
			throw new ModelLoadFailedException(definition.name(), definition.location(), cause);
		}
	}

	/**
	 * Removes a model: from this call on no new request reaches it (they get {@link ModelNotFoundException}, as do
	 * requests that found it a moment before and had not entered it yet); the call returns once the requests inside
	 * it have left and every version is closed. Its background load, polls and reloads stop; a reload running now
	 * finishes first.
	 * @throws ModelNotFoundException if no model of that name is served
	 */
	public void unregister(String name) {
		ServedModel model = this.registrations.remove(name);
		model.unschedule();
		long start = System.nanoTime();
		model.registered().unregister();
		InCodeModel.closeQuietly(model.inCode());
		this.factory.forget(name);
		for (ModelRegistryObserver observer : this.observers) {
			observer.unregistered(name);
		}
		logger.info("Unregistered model '{}': its versions closed in {} ms", name,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
	}

	/**
	 * Returns how a model's concurrent asynchronous inferences are batched, if they are.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public Optional<Batching> batching(String model) {
		Batcher batcher = this.registrations.require(model).batcher();
		return (batcher != null) ? Optional.of(batcher.settings()) : Optional.empty();
	}

	/**
	 * Whether a model of that name is served.
	 */
	public boolean contains(String model) {
		return this.registrations.contains(model);
	}

	/**
	 * Runs one inference of the model's highest served version on the calling thread, returning every output; see
	 * {@link #infer(String, Long, List, List)}.
	 * @param model the model name
	 * @param inputs one tensor per model input
	 * @return the outputs and the version that produced them
	 */
	public InferenceResult infer(String model, Tensor... inputs) {
		return infer(model, null, List.of(inputs), List.of());
	}

	/**
	 * Runs one inference of the model's highest served version on the registry's inference pool, returning every
	 * output; see {@link #inferAsync(String, Long, List, List)}.
	 * @param model the model name
	 * @param inputs one tensor per model input
	 * @return the outputs and the version that produced them, or the registry's exception
	 */
	public CompletableFuture<InferenceResult> inferAsync(String model, Tensor... inputs) {
		return inferAsync(model, null, List.of(inputs), List.of());
	}

	/**
	 * Returns a model in the service's own types: {@code predictor.predict(input)} turns the input into tensors with
	 * the translator, runs the model's highest served version, and turns its outputs into the answer. The model need
	 * not be served yet; each call looks it up, as {@link #infer(String, Tensor...)} does.
	 * @param model the model name
	 * @param translator between the service's types and the model's tensors
	 * @param <I> what the service gives
	 * @param <O> what it gets back
	 * @return the predictor, which any thread may use
	 */
	public <I, O> Predictor<I, O> predictor(String model, Translator<I, O> translator) {
		return new Predictor<>(this, model, translator);
	}

	/**
	 * Runs one inference on the calling thread, under the model's bulkhead and circuit breaker (a synchronous call
	 * cannot be abandoned, so the time limit applies to {@link #inferAsync} only).
	 * @param model the model name
	 * @param version the version that must serve it, or {@code null} for the one serving unversioned requests
	 * @param inputs one tensor per model input
	 * @param outputs the outputs to return; all when empty
	 * @return the outputs and the version that produced them
	 * @throws ModelNotFoundException if the model, or that version of it ({@link ModelVersionNotServedException}),
	 * is not served
	 * @throws InvalidInferenceRequestException if the inputs do not fit the model
	 * @throws ModelOverloadedException if the model already runs its limit of inferences
	 * @throws ModelUnavailableException if the model is not loaded and cannot be, or its circuit is open
	 * @throws ModelFailedException if the model's runtime failed
	 */
	public InferenceResult infer(String model, @Nullable Long version, List<Tensor> inputs, List<String> outputs) {
		return infer(model, version, new InferenceRequest(inputs, outputs));
	}

	/**
	 * Runs one inference on the calling thread; see {@link #infer(String, Long, List, List)}.
	 */
	public InferenceResult infer(String model, @Nullable Long version, InferenceRequest request) {
		return this.admission.infer(model, version, request);
	}

	/**
	 * Runs one inference on the registry's inference pool, under the model's bulkhead, time limiter and circuit
	 * breaker. Refusals (unknown model or version, full bulkhead or queue, open circuit) complete the future at
	 * once; nothing waits for room. Cancelling the future stops waiting for the answer: an inference that has not
	 * started is skipped, one that has finishes in the background.
	 * @return the outputs, or a {@link ModelRegistryException} as for {@link #infer(String, Long, List, List)}, or
	 * {@link InferenceTimeoutException} if the time limit passed first
	 */
	public CompletableFuture<InferenceResult> inferAsync(String model, @Nullable Long version, List<Tensor> inputs,
			List<String> outputs) {
		return inferAsync(model, version, new InferenceRequest(inputs, outputs));
	}

	/**
	 * Runs one inference on the registry's inference pool; see {@link #inferAsync(String, Long, List, List)}.
	 */
	public CompletableFuture<InferenceResult> inferAsync(String model, @Nullable Long version,
			InferenceRequest request) {
		return this.admission.inferAsync(model, version, request);
	}

	/**
	 * Returns a model's inputs and outputs, loading it if it is lazy and not loaded yet.
	 * @throws ModelNotFoundException if the model is not served
	 * @throws ModelUnavailableException if it is not loaded and cannot be
	 */
	public ModelMetadata metadata(String model) {
		RegisteredModel registered = registered(model);
		RegisteredModel.Served served = registered.served();
		if (served == null) {
			try {
				return registered.holder()
					.read((loaded) -> new ModelMetadata(registered.name(), List.of(loaded.version()),
							loaded.platform(), registered.definition().strategy().value(), loaded.inputs(),
							loaded.outputs()));
			}
			catch (io.github.modelregistry.holder.ModelUnavailableException ex) {
				throw unavailable(registered, ex);
			}
		}
		return metadata(registered, served);
	}

	/**
	 * Returns the inputs and outputs of one served version of a model.
	 * @throws ModelNotFoundException if the model or that version is not served
	 */
	public ModelMetadata metadata(String model, long version) {
		RegisteredModel registered = registered(model);
		return metadata(registered, registered.requireServed(version));
	}

	/**
	 * Returns a model's (or one version's) inputs and outputs; when a lazy model must load first, it loads on the
	 * inference pool, so that the caller's thread (an event loop) is never held.
	 */
	public CompletableFuture<ModelMetadata> metadataAsync(String model, @Nullable Long version) {
		try {
			if (version != null) {
				return CompletableFuture.completedFuture(metadata(model, version));
			}
			if (registered(model).served() != null) {
				return CompletableFuture.completedFuture(metadata(model));
			}
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.admission.onPool(() -> metadata(model));
	}

	/**
	 * Returns the inputs a request must send to the version it would reach, from memory, loading nothing: a face
	 * checks the tensors a request declares against them before it allocates their buffers. The inference itself
	 * checks again, as a reload may change them meanwhile.
	 * @param version the version asked for, or {@code null} for the one serving unversioned requests
	 * @return the inputs, or empty if they are not known yet (a lazy model not loaded)
	 * @throws ModelNotFoundException if the model, or that version of it, is not served
	 */
	public Optional<List<TensorSpec>> expectedInputs(String model, @Nullable Long version) {
		RegisteredModel registered = registered(model);
		if (version == null) {
			RegisteredModel.Served served = registered.served();
			return (served != null) ? Optional.of(served.inputs()) : Optional.empty();
		}
		return Optional.of(registered.requireServed(version).inputs());
	}

	/**
	 * A holder had no model to read: says so in the registry's words, with what the load threw.
	 */
	static ModelUnavailableException unavailable(RegisteredModel model,
			io.github.modelregistry.holder.ModelUnavailableException ex) {
		Throwable cause = (ex.getCause() != null) ? ex.getCause() : ex;
		return new ModelUnavailableException("Model '" + model.name() + "' is not available: "
				+ LastError.withoutLocation(LastError.describe(cause), model.definition()), ex);
	}

	private ModelMetadata metadata(RegisteredModel registered, RegisteredModel.Served served) {
		return new ModelMetadata(registered.name(), registered.servedVersions(), served.platform(),
				registered.definition().strategy().value(), served.inputs(), served.outputs());
	}

	/**
	 * Returns the versions of a model that requests can reach, lowest first; unversioned requests get the
	 * highest.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public List<Long> servedVersions(String model) {
		return registered(model).servedVersions();
	}

	/**
	 * Returns how a model is held, as users write it ({@code sharded-rcu}, ...).
	 * @throws ModelNotFoundException if the model is not served
	 */
	public String strategy(String model) {
		return registered(model).definition().strategy().value();
	}

	/**
	 * Returns how many inferences are inside a model now, read from memory.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public long inFlightReads(String model) {
		return registered(model).inFlightReads();
	}

	/**
	 * Returns the native memory charged for the versions a model holds now, from memory (see
	 * {@link ModelStatus#memoryBytes()}).
	 * @throws ModelNotFoundException if the model is not served
	 */
	public long memoryBytes(String model) {
		return registered(model).memoryBytes();
	}

	/**
	 * Returns the native memory charged for each version a model holds now, lowest version first, from memory
	 * (see {@link ModelStatus#memoryBytesByVersion()}).
	 * @throws ModelNotFoundException if the model is not served
	 */
	public SortedMap<Long, Long> memoryBytesByVersion(String model) {
		return Collections.unmodifiableSortedMap(registered(model).memoryBytesByVersion());
	}

	/**
	 * Returns the native memory charged for every version loaded now, all models together.
	 */
	public long memoryBytes() {
		return this.memoryBudget.charged();
	}

	/**
	 * Returns the native-memory budget in bytes, or {@code null} when there is none.
	 */
	public @Nullable Long memoryMax() {
		return this.memoryBudget.bounded() ? this.memoryBudget.max() : null;
	}

	/**
	 * Returns what a model is doing.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public ModelStatus status(String model) {
		return registered(model).status();
	}

	/**
	 * Returns what every model is doing, in configuration order.
	 */
	public List<ModelStatus> statuses() {
		// A model unregistered since the names were read is left out, not reported as an error
		return this.registrations.inOrder().stream().map((model) -> model.registered().status()).toList();
	}

	/**
	 * Whether a model can serve now without loading first.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public boolean available(String model) {
		return registered(model).available();
	}

	/**
	 * Whether a model, or one version of it, can serve now: the protocol's model readiness, which every face asks.
	 * @param version the version asked about, or {@code null} for the model
	 * @throws ModelNotFoundException if the model is not served
	 * @throws ModelVersionNotServedException if the model has no such version at all (one it has but does not serve
	 * yet is not ready)
	 */
	public boolean ready(String model, @Nullable Long version) {
		ModelStatus status = status(model);
		if (version != null && !status.availableVersions().contains(version)) {
			throw new ModelVersionNotServedException(model, version, status.servedVersions());
		}
		return status.state() == ModelState.AVAILABLE && (version == null || status.servedVersions().contains(version));
	}

	/**
	 * Whether a model must be available for the registry to be ready: eager, background and {@code static} ones.
	 * Lazy models load on first use, so they do not hold readiness back.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public boolean requiredForReadiness(String model) {
		return registered(model).requiredForReadiness();
	}

	/**
	 * Whether every model {@link #requiredForReadiness required for readiness} is available.
	 */
	public boolean ready() {
		for (ServedModel model : this.registrations.all()) {
			if (model.registered().requiredForReadiness() && !model.registered().available()) {
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
		return observed(registered(model).reload(null));
	}

	/**
	 * Loads a given version of a model and makes it serve. If the load fails, the previous version keeps serving
	 * and the result says why.
	 * @throws ModelNotFoundException if the model is not served
	 */
	public ReloadResult reload(String model, long version) {
		return observed(registered(model).reload(version));
	}

	private ReloadResult observed(ReloadResult result) {
		for (ModelRegistryObserver observer : this.observers) {
			observer.reloaded(result);
		}
		return result;
	}

	/**
	 * Scans a model's location once, as the poller does; for tests that drive polling step by step.
	 */
	void poll(String model) {
		registered(model).poll();
	}

	/**
	 * Returns the size of the inference pool, for the project's test fixtures.
	 */
	int inferenceThreads() {
		return this.admission.threads();
	}

	/**
	 * Returns a registered model (for the project's test fixtures too).
	 * @throws ModelNotFoundException if the model is not served
	 */
	RegisteredModel registered(String model) {
		return this.registrations.require(model).registered();
	}

	/**
	 * Stops background loads and polls, lets admitted inferences finish, then closes every model once its
	 * in-flight requests have left. Idempotent.
	 */
	@Override
	public void close() {
		List<ServedModel> models = this.registrations.close();
		if (models == null) {
			return;
		}
		this.background.stopLoading();
		this.pool.close();
		for (ServedModel model : models) {
			model.registered().close();
		}
		this.background.close();
		for (ServedModel model : models) {
			InCodeModel.closeQuietly(model.inCode());
		}
		List<String> names = this.registrations.names();
		logger.info("Model registry closed {}", names.isEmpty() ? "" : "its models " + names);
	}

	/**
	 * Builds a {@link ModelRegistry}. The auto-configuration makes one from the {@code model-registry.*}
	 * properties and applies every {@link ModelRegistryCustomizer} bean to it.
	 */
	public static final class Builder {

		final Map<String, ModelDefinition> definitions = new LinkedHashMap<>();

		final Map<String, InCodeModel> inCode = new HashMap<>();

		ModelRepository repository = new ModelRepository();

		@Nullable InferenceModelLoader modelLoader;

		int shards;

		Duration retryInterval = DEFAULT_RETRY_INTERVAL;

		Duration listingInterval = Duration.ofSeconds(10);

		WarmupRequestReader warmups = WarmupRequestReader.NONE;

		InferenceProtection protection = InferenceProtection.NONE;

		int inferenceThreads = Runtime.getRuntime().availableProcessors();

		int maxQueuedInferences = 10_000;

		@Nullable Duration callerRunsBelow;

		@Nullable Batching defaultBatching;

		final Map<String, @Nullable Batching> batching = new HashMap<>();

		final Map<String, Pipeline> pipelines = new HashMap<>();

		@Nullable TensorBufferPool tensorBufferPool;

		final List<ModelRegistryObserver> observers = new ArrayList<>();

		ObservationRegistry observationRegistry = ObservationRegistry.NOOP;

		@Nullable String basePath;

		HolderStrategy defaultStrategy = HolderStrategy.SHARDED_RCU;

		long memoryMax = MemoryBudget.UNBOUNDED;

		@Nullable InferenceObservationConvention observationConvention;

		Builder() {
		}

		/**
		 * Adds a model to serve, or replaces the definition of one with the same name.
		 */
		public Builder model(ModelDefinition definition) {
			this.definitions.put(definition.name(), Objects.requireNonNull(definition, "definition"));
			this.inCode.remove(definition.name());
			return this;
		}

		/**
		 * Adds a model built in code, held by the {@code sharded-rcu} strategy; see
		 * {@link #model(InferenceModel, HolderStrategy)}.
		 */
		public Builder model(InferenceModel model) {
			return model(model, HolderStrategy.SHARDED_RCU);
		}

		/**
		 * Adds a model built in code (a stub in a test, a model of a runtime the registry has no loader for), or
		 * replaces the definition of one with the same name. Its name and its one version are the model's own; it
		 * loads when the registry starts, is never warmed up or reloaded from anywhere (a reload keeps it), and is
		 * served like any other model: same holder strategies, protection, batching and faces. The registry owns it
		 * and closes it when the registry closes.
		 * @param model the model
		 * @param strategy how the registry holds it
		 */
		public Builder model(InferenceModel model, HolderStrategy strategy) {
			InCodeModel inCode = new InCodeModel(model, strategy);
			this.definitions.put(inCode.name(), inCode.definition());
			this.inCode.put(inCode.name(), inCode);
			return this;
		}

		/**
		 * Removes a model added so far, whether defined or given in code: a test that serves only some of the
		 * configured models. Nothing happens if there is none of that name.
		 */
		public Builder removeModel(String name) {
			this.definitions.remove(name);
			this.inCode.remove(name);
			return this;
		}

		/**
		 * Adds models to serve; see {@link #model(ModelDefinition)}.
		 */
		public Builder models(Collection<ModelDefinition> definitions) {
			definitions.forEach(this::model);
			return this;
		}

		/**
		 * Returns the definitions so far, in the order they were added.
		 */
		public List<ModelDefinition> models() {
			return List.copyOf(this.definitions.values());
		}

		/**
		 * Sets where versions are found. Defaults to the file system ({@link ModelRepository}).
		 */
		public Builder repository(ModelRepository repository) {
			this.repository = Objects.requireNonNull(repository, "repository");
			return this;
		}

		/**
		 * Sets how versions are loaded.
		 */
		public Builder modelLoader(InferenceModelLoader modelLoader) {
			this.modelLoader = Objects.requireNonNull(modelLoader, "modelLoader");
			return this;
		}

		/**
		 * Sets the reader shards for {@code sharded-rcu} and {@code static}; 0 for the default (the processors,
		 * rounded up to a power of two).
		 */
		public Builder shards(int shards) {
			if (shards < 0) {
				throw new IllegalArgumentException("shards must not be negative, was " + shards);
			}
			this.shards = shards;
			return this;
		}

		/**
		 * Sets how long a failed background load waits before it tries again.
		 */
		public Builder retryInterval(Duration retryInterval) {
			if (retryInterval.isNegative() || retryInterval.isZero()) {
				throw new IllegalArgumentException("retryInterval must be positive, was " + retryInterval);
			}
			this.retryInterval = retryInterval;
			return this;
		}

		/**
		 * Sets how often the loader thread lists the location of a model that is not polled, for the versions its
		 * status shows. Status and readiness never list a location themselves.
		 */
		public Builder listingInterval(Duration listingInterval) {
			if (listingInterval.isNegative() || listingInterval.isZero()) {
				throw new IllegalArgumentException("listingInterval must be positive, was " + listingInterval);
			}
			this.listingInterval = listingInterval;
			return this;
		}

		/**
		 * Sets what reads the warm-up requests a version ships with.
		 */
		public Builder warmups(WarmupRequestReader warmups) {
			this.warmups = Objects.requireNonNull(warmups, "warmups");
			return this;
		}

		/**
		 * Sets what protects each model's inferences. Defaults to none.
		 */
		public Builder protection(InferenceProtection protection) {
			this.protection = Objects.requireNonNull(protection, "protection");
			return this;
		}

		/**
		 * Sets the size of the inference pool that runs {@link ModelRegistry#inferAsync asynchronous} inferences.
		 */
		public Builder inferenceThreads(int threads) {
			if (threads < 1) {
				throw new IllegalArgumentException("inferenceThreads must be at least 1, was " + threads);
			}
			this.inferenceThreads = threads;
			return this;
		}

		/**
		 * Sets how many asynchronous inferences may wait for a thread; more are refused at once.
		 */
		public Builder maxQueuedInferences(int maxQueued) {
			if (maxQueued < 1) {
				throw new IllegalArgumentException("maxQueuedInferences must be at least 1, was " + maxQueued);
			}
			this.maxQueuedInferences = maxQueued;
			return this;
		}

		/**
		 * Lets {@link ModelRegistry#inferAsync asynchronous} inferences of a model run on the caller's thread while
		 * its recent runs took less than {@code bound}, if its holder's reads never wait
		 * ({@link io.github.modelregistry.holder.HolderStrategy#readsNeverWait}); {@code null}, the default, for
		 * never. The bound must be shorter than every such model's time limit: {@link #build()} fails otherwise.
		 * Meant for small models called from an event loop, where the hand-off to the pool and back costs more
		 * than the run.
		 */
		public Builder callerRunsBelow(@Nullable Duration bound) {
			if (bound != null && (bound.isNegative() || bound.isZero())) {
				throw new IllegalArgumentException("callerRunsBelow must be positive, was " + bound);
			}
			this.callerRunsBelow = bound;
			return this;
		}

		/**
		 * Adds an observer of inferences, reloads and version events.
		 */
		/**
		 * Batches every model's concurrent asynchronous inferences unless {@link #batching(String, Batching)} says
		 * otherwise for it.
		 * @param batching how, or {@code null} not to batch (the default)
		 */
		public Builder batching(@Nullable Batching batching) {
			this.defaultBatching = batching;
			return this;
		}

		/**
		 * Batches one model's concurrent asynchronous inferences, whatever {@link #batching(Batching)} says.
		 * @param batching how, or {@code null} not to batch it
		 */
		public Builder batching(String model, @Nullable Batching batching) {
			this.batching.put(Objects.requireNonNull(model, "model"), batching);
			return this;
		}

		/**
		 * Serves a model through Java stages before and after its runtime: every version the loader loads is
		 * wrapped, with stages made from that version's folder, so that the whole reloads as one. The model is then
		 * known by the pipeline's signature (a text model: strings in, vectors out); to serve the runtime model on
		 * its own as well, define it a second time under another name.
		 * @param model the model's name
		 * @param pipeline its stages
		 */
		public Builder pipeline(String model, Pipeline pipeline) {
			this.pipelines.put(Objects.requireNonNull(model, "model"), Objects.requireNonNull(pipeline, "pipeline"));
			return this;
		}

		/**
		 * Where batches assemble their inputs; without one, each batch allocates its own direct buffers.
		 */
		public Builder tensorBufferPool(@Nullable TensorBufferPool pool) {
			this.tensorBufferPool = pool;
			return this;
		}

		/**
		 * Observes every inference with Micrometer's Observation API ({@code model.inference}: a timer with a
		 * meter handler, a span with a tracing one). Off ({@link ObservationRegistry#NOOP}) unless set; the
		 * auto-configuration sets the application's registry.
		 */
		public Builder observationRegistry(ObservationRegistry observationRegistry) {
			this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry");
			return this;
		}

		/**
		 * Names the inference observation and its key values; {@link DefaultInferenceObservationConvention}
		 * unless set.
		 */
		public Builder observationConvention(@Nullable InferenceObservationConvention convention) {
			this.observationConvention = convention;
			return this;
		}

		public Builder observer(ModelRegistryObserver observer) {
			this.observers.add(Objects.requireNonNull(observer, "observer"));
			return this;
		}

		/**
		 * Sets the folder under which {@link ModelRegistry#register(String)} finds a model by its name,
		 * {@code <base>/<name>}: a Spring resource location such as {@code file:/srv/models}. Without it, models
		 * are registered at run time by definition only.
		 */
		public Builder basePath(@Nullable String basePath) {
			this.basePath = basePath;
			return this;
		}

		/**
		 * Sets how a model {@link ModelRegistry#register(String) registered by name} is held. Defaults to
		 * {@code sharded-rcu}.
		 */
		public Builder defaultStrategy(HolderStrategy strategy) {
			this.defaultStrategy = Objects.requireNonNull(strategy, "strategy");
			return this;
		}

		/**
		 * Sets the native-memory budget: a load whose file would take the versions' charges past it is refused with
		 * {@link ModelMemoryExceededException}, and what served before goes on serving. Unbounded by default.
		 * @param maxBytes the most all loaded versions may be charged, in bytes
		 */
		public Builder memoryMax(long maxBytes) {
			if (maxBytes <= 0) {
				throw new IllegalArgumentException("model-registry.memory.max must be positive, was " + maxBytes);
			}
			this.memoryMax = maxBytes;
			return this;
		}

		/**
		 * Builds the registry: nothing is loaded and no thread started until {@link ModelRegistry#start()}.
		 */
		public ModelRegistry build() {
			return new ModelRegistry(this);
		}

	}

}
