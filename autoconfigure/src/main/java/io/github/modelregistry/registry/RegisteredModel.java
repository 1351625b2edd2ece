package io.github.modelregistry.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
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
import io.github.modelregistry.tensor.TensorSpec;
import io.github.modelregistry.registry.ModelRegistryObserver.VersionEvent;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelRepository.Fingerprint;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.ModelVersionNotFoundException;
import io.github.modelregistry.repository.VersionPolicy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named model in the registry: the holder of the version unversioned requests use (the highest served), the
 * holders of other versions its policy serves, and what its loads, reloads and polls did.
 * <p>
 * The primary holder lives as long as the model: a new highest version is published into it, so the strategy's
 * guarantees cover the switch. Other served versions each have a holder of their own, created when the policy
 * wants the version and closed (after their readers drain) when it no longer does. Reloads and polls are
 * serialised by one lock; loading never holds a lock that readers need.
 */
final class RegisteredModel implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	private final ModelDefinition definition;

	private final ModelRepository repository;

	private final OnnxModelLoader onnx;

	private final WarmupRequestReader warmups;

	private final ModelRegistryObserver observer;

	private final Executor retirementExecutor;

	private final int shards;

	private final ModelHolder<OnnxModel> holder;

	/** Versions served besides the primary's, each in a holder of its own. */
	private final ConcurrentSkipListMap<Long, Secondary> secondaries = new ConcurrentSkipListMap<>();

	/** Serialises reloads and polls of this model, so that "previous" and "new" versions in reports are exact. */
	private final ReentrantLock reloadLock = new ReentrantLock();

	/** The primary's generations and the versions they hold, to name retired versions. */
	private final Map<Long, Long> generationVersions = new ConcurrentHashMap<>();

	/** The version the primary's loader loads: resolved on first load, changed by reloads and polls. */
	private volatile @Nullable ModelSource target;

	private volatile @Nullable Served served;

	/** A version an operator reloaded to explicitly; polls keep to it until a reload without a version. */
	private volatile @Nullable Long pinned;

	/** For per-request, which holds nothing: whether a load has succeeded, so that the model counts as ready. */
	private volatile boolean verified;

	private volatile @Nullable String lastError;

	private volatile @Nullable Instant lastErrorAt;

	private volatile @Nullable Warmup lastWarmup;

	/** Poll state, touched only under the reload lock: each version's fingerprint at the last scan. */
	private Map<Long, Fingerprint> lastSeen = new HashMap<>();

	/** Versions whose load failed, with the fingerprint they failed with: retried only once the file changes. */
	private final Map<Long, Fingerprint> failed = new HashMap<>();

	RegisteredModel(ModelDefinition definition, ModelRepository repository, OnnxModelLoader onnx, int shards,
			Executor retirementExecutor, WarmupRequestReader warmups, ModelRegistryObserver observer)
			throws Exception {
		this.definition = definition;
		this.repository = repository;
		this.onnx = onnx;
		this.warmups = warmups;
		this.observer = observer;
		this.retirementExecutor = retirementExecutor;
		this.shards = shards;
		var builder = ModelHolder.<OnnxModel>builder(definition.strategy())
			.loader(this::loadTarget)
			.retirementExecutor(retirementExecutor)
			.listener(new PrimaryListener());
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
		this.reloadLock.lock();
		try {
			// Versions present now are complete as far as polling is concerned
			for (ModelSource source : this.repository.versions(name(), definition.location()).values()) {
				this.lastSeen.put(source.version(), ModelRepository.fingerprint(source));
			}
		}
		finally {
			this.reloadLock.unlock();
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
	 * Returns the holder serving a version: the primary for unversioned requests and for its own version, another
	 * holder for another served version, or {@code null} if the version is not served.
	 */
	@Nullable ModelHolder<OnnxModel> holderFor(@Nullable Long version) {
		Served served = this.served;
		if (version == null || (served != null && served.version() == version)) {
			return this.holder;
		}
		Secondary secondary = this.secondaries.get(version);
		return (secondary != null) ? secondary.holder() : null;
	}

	/**
	 * Returns every version served, lowest first.
	 */
	List<Long> servedVersions() {
		List<Long> versions = new ArrayList<>(this.secondaries.keySet());
		Served served = this.served;
		if (served != null && available() && !versions.contains(served.version())) {
			versions.add(served.version());
		}
		versions.sort(null);
		return versions;
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

	/**
	 * The primary holder's loader: loads (and warms up) the target version.
	 */
	private OnnxModel loadTarget() throws Exception {
		ModelSource source;
		try {
			source = currentTarget();
		}
		catch (RuntimeException ex) {
			recordError(ex);
			throw ex;
		}
		OnnxModel model = open(source);
		this.served = Served.of(model);
		this.verified = true;
		return model;
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
		return resolve(requested, true);
	}

	/**
	 * Finds the version to load: the one requested, else (if {@code usePin}) the one an operator pinned, else the
	 * highest one the policy wants.
	 */
	private ModelSource resolve(@Nullable Long requested, boolean usePin) {
		Long version = (requested != null) ? requested : usePin ? this.pinned : null;
		if (version != null) {
			return this.repository.version(name(), this.definition.location(), version);
		}
		NavigableMap<Long, ModelSource> available = this.repository.versions(name(), this.definition.location());
		NavigableSet<Long> wanted = this.definition.policy().select(available.navigableKeySet());
		if (wanted.isEmpty()) {
			if (available.isEmpty()) {
				// Let the repository say what is missing, and where
				return this.repository.latest(name(), this.definition.location());
			}
			throw new ModelVersionNotFoundException("No version of model '" + name() + "' in "
					+ this.definition.location() + " matches its version policy (" + this.definition.policy()
					+ "); available versions are " + available.keySet());
		}
		return available.get(wanted.last());
	}

	/**
	 * Loads a version and, unless the model is per-request, warms it up. The caller owns the returned model.
	 */
	private OnnxModel open(ModelSource source) throws Exception {
		OnnxModel model;
		try {
			Path file = source.file();
			model = (file != null) ? this.onnx.load(name(), source.version(), file)
					: this.onnx.load(name(), source.version(), source.description(), source.bytes());
		}
		catch (Exception ex) {
			failedToLoad(source, ex);
			throw ex;
		}
		if (this.definition.warmup() && this.definition.strategy() != HolderStrategy.PER_REQUEST) {
			try {
				this.lastWarmup = Warmup.run(model, source, this.warmups);
			}
			catch (RuntimeException ex) {
				model.close();
				failedToLoad(source, ex);
				throw ex;
			}
		}
		if (this.definition.strategy() != HolderStrategy.PER_REQUEST) {
			Warmup warmup = this.lastWarmup;
			logger.info("Loaded model '{}' version {} ({} strategy) in {} ms from {}{}", name(), model.version(),
					this.definition.strategy(), model.loadDuration().toMillis(), model.source(),
					(warmup != null && warmup.version() == model.version() && this.definition.warmup())
							? ", warmed up with " + warmup.requests() + " request(s) in " + warmup.took().toMillis()
									+ " ms"
							: "");
			this.observer.versionEvent(name(), model.version(), VersionEvent.LOAD);
		}
		return model;
	}

	private void failedToLoad(ModelSource source, Exception ex) {
		recordError(ex);
		this.observer.versionEvent(name(), source.version(), VersionEvent.FAILURE);
		logger.warn("Loading model '{}' version {} ({} strategy) from {} failed: {}", name(), source.version(),
				this.definition.strategy(), source.description(), ex.getMessage());
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
				ModelSource source = resolve(requested, false);
				publishPrimary(source);
				// An explicit version holds until a reload without one; polls keep to it meanwhile
				this.pinned = requested;
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
				ReloadResult.Outcome outcome = (ex instanceof ModelVersionNotFoundException)
						? ReloadResult.Outcome.NOT_FOUND : ReloadResult.Outcome.FAILED;
				return new ReloadResult(name(), outcome, previous, serving, requested, since(start), describe(ex));
			}
		}
		finally {
			this.reloadLock.unlock();
		}
	}

	/**
	 * Loads, warms up and publishes a version into the primary holder (per-request: makes it the version each
	 * request loads). Called under the reload lock.
	 */
	private void publishPrimary(ModelSource source) throws Exception {
		OnnxModel next = open(source);
		if (this.definition.strategy() == HolderStrategy.PER_REQUEST) {
			// Each request loads its own model: the new target is what they will load from now on
			next.close();
			this.served = Served.of(next);
		}
		else {
			Served before = this.served;
			this.served = Served.of(next);
			try {
				this.holder.publish(next);
			}
			catch (RuntimeException ex) {
				this.served = before;
				throw ex;
			}
		}
		this.target = source;
		this.verified = true;
	}

	/**
	 * One scan of the model's location: loads the versions its policy wants that are complete and not served yet,
	 * switches unversioned requests to the highest, and retires the versions it no longer wants. Never leaves the
	 * model without a version because nothing is listed (a storage blip), and never runs two loads at once.
	 */
	void poll() {
		if (this.definition.strategy() == HolderStrategy.STATIC || !this.reloadLock.tryLock()) {
			// static never changes; a reload in progress will be followed by the next poll
			return;
		}
		try {
			NavigableMap<Long, ModelSource> listed = this.repository.versions(name(), this.definition.location());
			Map<Long, Fingerprint> seen = new HashMap<>();
			NavigableMap<Long, ModelSource> candidates = new TreeMap<>();
			for (ModelSource source : listed.values()) {
				Fingerprint fingerprint = ModelRepository.fingerprint(source);
				seen.put(source.version(), fingerprint);
				boolean complete = fingerprint.equals(this.lastSeen.get(source.version()));
				boolean failedBefore = fingerprint.equals(this.failed.get(source.version()));
				if (complete && !failedBefore) {
					candidates.put(source.version(), source);
				}
			}
			this.lastSeen = seen;
			this.failed.keySet().retainAll(seen.keySet());
			Long pinned = this.pinned;
			VersionPolicy policy = (pinned != null) ? VersionPolicy.specific(List.of(pinned))
					: this.definition.policy();
			NavigableSet<Long> wanted = policy.select(candidates.navigableKeySet());
			if (wanted.isEmpty()) {
				// Nothing loadable listed: keep serving what serves (tensorflow/serving #1480)
				return;
			}
			long top = wanted.last();
			if (this.definition.strategy() != HolderStrategy.PER_REQUEST) {
				for (Long version : wanted.headSet(top, false)) {
					if (!this.secondaries.containsKey(version)) {
						addSecondary(candidates.get(version), seen.get(version));
					}
				}
			}
			Served served = this.served;
			if (served == null || served.version() != top || !available()) {
				try {
					publishPrimary(candidates.get(top));
					logger.info("Model '{}' version {} now serves unversioned requests ({} policy)", name(), top,
							policy);
				}
				catch (Exception ex) {
					this.failed.put(top, seen.get(top));
				}
			}
			for (Long version : List.copyOf(this.secondaries.keySet())) {
				Served now = this.served;
				if (!wanted.contains(version) || (now != null && now.version() == version)) {
					retireSecondary(version);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Polling model '{}' in {} failed: {}", name(), this.definition.location(), ex.getMessage());
		}
		finally {
			this.reloadLock.unlock();
		}
	}

	private void addSecondary(ModelSource source, Fingerprint fingerprint) {
		try {
			OnnxModel model = open(source);
			var builder = ModelHolder.<OnnxModel>builder(this.definition.strategy())
				.initialModel(model)
				.retirementExecutor(this.retirementExecutor)
				.listener(new SecondaryListener(source.version()));
			if (this.shards > 0) {
				builder.shards(this.shards);
			}
			this.secondaries.put(source.version(), new Secondary(builder.build(), Served.of(model)));
			this.observer.versionEvent(name(), source.version(), VersionEvent.PUBLISH);
			logger.info("Model '{}' version {} serves versioned requests", name(), source.version());
		}
		catch (Exception ex) {
			this.failed.put(source.version(), fingerprint);
		}
	}

	private void retireSecondary(long version) {
		Secondary secondary = this.secondaries.remove(version);
		if (secondary != null) {
			// Waits for its in-flight readers; new versioned requests no longer find it
			secondary.holder().close();
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

	@Nullable Served served(long version) {
		Served served = this.served;
		if (served != null && served.version() == version) {
			return served;
		}
		Secondary secondary = this.secondaries.get(version);
		return (secondary != null) ? secondary.served() : null;
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
		Long pinned = this.pinned;
		return new ModelStatus(name(), this.definition.strategy(), this.definition.load(), status,
				serving ? served.version() : null, serving ? served.source() : null,
				serving ? served.loadedAt() : null, serving ? served.loadDuration() : null,
				serving ? served.sizeBytes() : null, available, state, this.lastError, this.lastErrorAt,
				servedVersions(), (pinned != null) ? "pinned to " + pinned + " by a reload"
						: this.definition.policy().toString(),
				this.lastWarmup);
	}

	@Override
	public void close() {
		for (Long version : List.copyOf(this.secondaries.keySet())) {
			retireSecondary(version);
		}
		this.holder.close();
	}

	/**
	 * What is known of a served version, kept so that status and metadata need not touch the model.
	 */
	record Served(long version, String source, Instant loadedAt, Duration loadDuration, long sizeBytes,
			List<TensorSpec> inputs, List<TensorSpec> outputs) {

		static Served of(OnnxModel model) {
			return new Served(model.version(), model.source(), model.loadedAt(), model.loadDuration(),
					model.sizeBytes(), model.inputs(), model.outputs());
		}

	}

	/**
	 * A version served besides the primary's.
	 */
	record Secondary(ModelHolder<OnnxModel> holder, Served served) {
	}

	private final class PrimaryListener implements HolderListener {

		@Override
		public void published(long generation) {
			Served served = RegisteredModel.this.served;
			if (served != null) {
				RegisteredModel.this.generationVersions.put(generation, served.version());
				RegisteredModel.this.observer.versionEvent(name(), served.version(), VersionEvent.PUBLISH);
			}
			logger.debug("Model '{}' version {} serves ({} strategy, generation {})", name(),
					(served != null) ? served.version() : "?", RegisteredModel.this.definition.strategy(), generation);
		}

		@Override
		public void retired(long generation, Duration drained) {
			if (RegisteredModel.this.definition.strategy() == HolderStrategy.PER_REQUEST) {
				return;
			}
			Long version = RegisteredModel.this.generationVersions.remove(generation);
			if (version != null) {
				RegisteredModel.this.observer.versionEvent(name(), version, VersionEvent.RETIRE);
			}
			logger.info("Retired model '{}' version {} ({} strategy) {} ms after it was replaced", name(),
					(version != null) ? version : "?", RegisteredModel.this.definition.strategy(),
					drained.toMillis());
		}

		@Override
		public void closeFailed(long generation, Exception failure) {
			logger.warn("Closing model '{}' generation {} failed: {}", name(), generation, failure.getMessage());
		}

	}

	private final class SecondaryListener implements HolderListener {

		private final long version;

		SecondaryListener(long version) {
			this.version = version;
		}

		@Override
		public void retired(long generation, Duration drained) {
			RegisteredModel.this.observer.versionEvent(name(), this.version, VersionEvent.RETIRE);
			logger.info("Retired model '{}' version {} ({} strategy): no longer wanted by its version policy",
					name(), this.version, RegisteredModel.this.definition.strategy());
		}

	}

}
