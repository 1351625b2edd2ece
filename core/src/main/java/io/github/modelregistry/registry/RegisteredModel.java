package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import io.github.modelregistry.holder.HolderListener;
import io.github.modelregistry.holder.HolderState;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.holder.ModelHolder;
import io.github.modelregistry.holder.ModelHolderBuilder;
import io.github.modelregistry.registry.ModelRegistryObserver.VersionEvent;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.ModelVersionNotFoundException;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.TensorSignature;
import io.github.modelregistry.tensor.TensorSpec;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One named model in the registry: the holder of the version unversioned requests use (the highest served), the
 * holders of other versions its policy serves, and its reloads.
 * <p>
 * The primary holder lives as long as the model: a new highest version is published into it, so the strategy's
 * guarantees cover the switch. Other served versions each have a holder of their own, created when the policy
 * wants the version and closed (after their readers drain) when it no longer does. Reloads and polls are
 * serialised by one lock; loading never holds a lock that readers need. Which version to load is the
 * {@link VersionResolver}'s job, loading and warming it up the {@link VersionLoader}'s, scanning the location the
 * {@link RepositoryPoller}'s, and describing it all the {@link ModelStatusReport}'s. What differs between strategies
 * is asked of the strategy ({@code holdsModel}, {@code replacesModel}, {@code loadsWhenBuilt}), never branched on its
 * name.
 *
 * <h2>Implementation</h2>
 * State, and who writes it:
 * <ul>
 * <li>{@code holder} (the primary), written once by {@link #start()}; {@code secondaries}, a concurrent sorted map
 * written under the reload lock (polls and reloads) and by {@link #close()}.</li>
 * <li>{@code target} (what the primary's next load loads) and {@code served} (what is known of the version serving,
 * so that status and metadata never touch a model): volatile, written by loads, reloads and polls; {@code served}
 * is set before a publish and put back if the publish throws.</li>
 * <li>{@code listed}, {@code lastUsed}, {@code evicted}, {@code verified}, {@code unregistered}: volatile flags and
 * snapshots read by status, readiness, eviction and admission without a lock. {@code lastUsed} is written only for
 * evictable models, so that other models' requests write nothing shared here.</li>
 * </ul>
 * Threads and locks: requests only read (the holder's read, the volatile fields). Reloads and polls take the reload
 * lock, so that at most one load of this model runs at a time and reports name exact previous and new versions;
 * a poll that finds the lock taken skips its turn. Eviction never takes the reload lock (a reload waiting for the
 * memory budget's load turn must not block the eviction that would make room). Loads of versions served beside a
 * lazy or background model's primary run on the registry's loader thread, after its first publish; replaced
 * versions close on the retirer thread. Unregistering sets {@code unregistered} first (admission then refuses new
 * requests), then waits for a running reload and closes every holder, each waiting for its readers.
 */
final class RegisteredModel implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	private final ModelDefinition definition;

	private final HolderStrategy strategy;

	private final ModelRepository repository;

	private final VersionResolver resolver;

	private final VersionLoader loader;

	private final RepositoryPoller poller;

	private final LastError lastError = new LastError();

	private final ModelRegistryObserver observer;

	private final Executor retirementExecutor;

	private final Executor loadExecutor;

	/** Whether the versions the policy serves beside the primary have been scanned for once the primary loaded. */
	private final AtomicBoolean besideScanned = new AtomicBoolean();

	private final int shards;

	/** Created by {@link #start()}: building a static holder loads its model. */
	private volatile @Nullable ModelHolder<InferenceModel> holder;

	/** Versions served besides the primary's, each in a holder of its own. */
	private final ConcurrentSkipListMap<Long, Secondary> secondaries = new ConcurrentSkipListMap<>();

	/** Serialises reloads and polls of this model, so that "previous" and "new" versions in reports are exact. */
	private final ReentrantLock reloadLock = new ReentrantLock();

	/** The primary's generations and the versions they hold, to name retired versions. */
	private final Map<Long, Long> generationVersions = new ConcurrentHashMap<>();

	/** The version the primary's loader loads: resolved on first load, changed by reloads and polls. */
	private volatile @Nullable ModelSource target;

	private volatile @Nullable Served served;

	/** Set once by {@link #unregister()}: requests that still find this model are told it is gone. */
	private volatile boolean unregistered;

	/** Set once by {@link #close()}: what retires from now on is closed with the model, not replaced. */
	private volatile boolean closing;

	/**
	 * When an evictable model was last asked for ({@link System#nanoTime()}), by a request or by a load that made
	 * it serve: the order of least-recently-used eviction. Written only for evictable models, so that other models'
	 * requests write nothing shared here.
	 */
	private volatile long lastUsed = System.nanoTime();

	/**
	 * Whether the primary version was unloaded to make room in the memory budget and nothing has been published
	 * since: polls then leave it unloaded (they only retarget it), so that they never take back the room.
	 */
	private volatile boolean evicted;

	/** For per-request, which holds nothing: whether a load has succeeded, so that the model counts as ready. */
	private volatile boolean verified;

	/**
	 * The versions found at the last listing of the location, lowest first. Listed at start, by polls and reloads
	 * and by the registry's periodic refresh, all off the request path; status and readiness only read this.
	 */
	private volatile List<Long> listed = List.of();

	/**
	 * @param retirementExecutor where replaced versions close
	 * @param loadExecutor where loads that nobody waits for run: the versions a lazy or background model serves
	 * beside its primary, once the primary has loaded
	 */
	RegisteredModel(ModelDefinition definition, ModelRepository repository, InferenceModelLoader models, int shards,
			Executor retirementExecutor, Executor loadExecutor, WarmupRequestReader warmups,
			ModelRegistryObserver observer, MemoryBudget budget) {
		this.loadExecutor = loadExecutor;
		this.definition = definition;
		this.strategy = definition.strategy();
		this.repository = repository;
		this.resolver = new VersionResolver(definition, repository, this::list);
		this.loader = new VersionLoader(definition, models, warmups, observer, this.lastError, budget);
		this.poller = new RepositoryPoller(this);
		this.observer = observer;
		this.retirementExecutor = retirementExecutor;
		this.shards = shards;
	}

	/**
	 * Builds the primary holder and loads what the load mode says must load now: eager models, and strategies that
	 * load when built. Lazy models only check that their location has something to load.
	 * @throws Exception if a model that must load now cannot
	 */
	void start() throws Exception {
		this.holder = holderBuilder().loader(this::loadTarget).listener(new PrimaryListener()).build();
		if (this.definition.load() == LoadMode.EAGER) {
			loadNow();
		}
		else if (this.definition.load() == LoadMode.LAZY && !this.strategy.loadsWhenBuilt()) {
			checkLocation();
		}
		this.reloadLock.lock();
		try {
			this.poller.baseline();
			if (this.definition.load() == LoadMode.EAGER) {
				scanBeside();
			}
		}
		finally {
			this.reloadLock.unlock();
		}
	}

	/**
	 * Loads, now, the versions the policy serves beside the primary (a policy such as {@code latest: 2}), with one
	 * scan as a poll makes, so that a model that is not polled serves them too. Called once the primary has loaded:
	 * by {@link #start()} for an eager model, on the load executor after the first publish of a lazy or background
	 * one. A version that does not load is reported as a poll reports it; the primary goes on serving.
	 */
	void loadVersionsBeside() {
		this.reloadLock.lock();
		try {
			scanBeside();
		}
		finally {
			this.reloadLock.unlock();
		}
	}

	private void scanBeside() {
		if (!this.strategy.holdsModel() || !this.strategy.replacesModel() || !available()
				|| this.resolver.policy().mostServed() < 2) {
			return;
		}
		try {
			this.poller.poll(this.resolver.policy());
		}
		catch (RuntimeException ex) {
			logger.warn("Loading the versions model '{}' serves beside version {} failed: {}", name(),
					primaryVersion(), ex.getMessage());
		}
	}

	private ModelHolderBuilder<InferenceModel> holderBuilder() {
		ModelHolderBuilder<InferenceModel> builder = ModelHolder.<InferenceModel>builder(this.strategy)
			.retirementExecutor(this.retirementExecutor);
		if (this.shards > 0) {
			builder.shards(this.shards);
		}
		return builder;
	}

	/**
	 * Loads the target version now, into the holder or, for a strategy that holds nothing, only to know it loads.
	 */
	void loadNow() throws Exception {
		if (this.strategy.loadsWhenBuilt()) {
			// Loaded when the holder was built
			return;
		}
		if (!this.strategy.holdsModel()) {
			// Nothing is held, but a model that cannot load should be known now all the same
			loadTarget().close();
			this.verified = true;
			return;
		}
		holder().reload();
	}

	/**
	 * Forgets the resolved target, so that the next load resolves it again (a background retry).
	 */
	void forgetTarget() {
		this.target = null;
	}

	/**
	 * Tells an operator at start-up that a lazy model has nothing to load, without loading it.
	 */
	private void checkLocation() {
		try {
			this.resolver.resolve(null, true);
		}
		catch (RuntimeException ex) {
			this.lastError.record(ex);
			logger.warn("Model '{}' ({} strategy, lazy) has nothing to load yet; requests fail until it has: {}",
					name(), this.strategy, ex.getMessage());
		}
	}

	String name() {
		return this.definition.name();
	}

	ModelDefinition definition() {
		return this.definition;
	}

	ModelHolder<InferenceModel> holder() {
		ModelHolder<InferenceModel> holder = this.holder;
		if (holder == null) {
			throw new IllegalStateException("Model '" + name() + "' is not started");
		}
		return holder;
	}

	/**
	 * Returns the holder serving a version: the primary for unversioned requests and for its own version, another
	 * holder for another served version, or {@code null} if the version is not served.
	 */
	@Nullable ModelHolder<InferenceModel> holderFor(@Nullable Long version) {
		Served served = this.served;
		if (version == null || (served != null && served.version() == version)) {
			return holder();
		}
		Secondary secondary = this.secondaries.get(version);
		return (secondary != null) ? secondary.holder() : null;
	}

	/**
	 * Lists the model's location and remembers the versions found. Touches the file system (or a jar): never call it
	 * on a request thread.
	 */
	NavigableMap<Long, ModelSource> list() {
		NavigableMap<Long, ModelSource> versions = this.repository.versions(name(), this.definition.location());
		this.listed = List.copyOf(versions.keySet());
		return versions;
	}

	/**
	 * Lists the location again, keeping the last listing if this one fails (a storage blip).
	 */
	void refreshListing() {
		try {
			list();
		}
		catch (RuntimeException ex) {
			// Reported in status and health as the model's last error; the versions known stay as they were
			this.lastError.record(ex);
			logger.debug("Listing model '{}' in {} failed; keeping the last listing: {}", name(),
					this.definition.location(), ex.getMessage());
		}
	}

	/**
	 * Returns the versions found at the last listing, from memory.
	 */
	List<Long> listedVersions() {
		return this.listed;
	}

	/**
	 * Says that a version is not served, and which are.
	 */
	ModelVersionNotServedException notServed(long version) {
		return new ModelVersionNotServedException(name(), version, servedVersions());
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
	 * Whether the model can serve now: a model is held, or, for a strategy that holds none, a load has succeeded
	 * and the last one did not fail.
	 */
	boolean available() {
		HolderState state = holderState();
		if (state == null || state.status() != HolderState.Status.AVAILABLE) {
			return false;
		}
		return this.strategy.holdsModel() || this.verified;
	}

	/**
	 * Whether the registry's readiness waits for this model.
	 */
	boolean requiredForReadiness() {
		return this.definition.load() != LoadMode.LAZY || this.strategy.loadsWhenBuilt();
	}

	/**
	 * The primary holder's loader: loads (and warms up) the target version.
	 */
	private InferenceModel loadTarget() throws Exception {
		ModelSource source;
		try {
			source = currentTarget();
		}
		catch (RuntimeException ex) {
			this.lastError.record(ex);
			throw ex;
		}
		VersionLoader.Opened opened = this.loader.open(source);
		this.served = Served.of(opened);
		this.verified = true;
		return opened.model();
	}

	private ModelSource currentTarget() {
		ModelSource target = this.target;
		if (target == null) {
			target = this.resolver.resolve(null, true);
			this.target = target;
		}
		return target;
	}

	ReloadResult reload(@Nullable Long requested) {
		long start = System.nanoTime();
		this.reloadLock.lock();
		try {
			Served before = this.served;
			Long previous = (before != null) ? before.version() : null;
			if (!this.strategy.replacesModel()) {
				return new ReloadResult(name(), ReloadResult.Outcome.REFUSED, previous, previous, requested,
						since(start), "Model '" + name() + "' uses the " + this.strategy + " strategy, which serves "
								+ "the version it started with; choose another strategy to reload models at run time");
			}
			try {
				ModelSource source = this.resolver.resolve(requested, false);
				publishPrimary(source);
				// An explicit version holds until a reload without one; polls keep to it meanwhile
				this.resolver.pin(requested);
				Duration took = since(start);
				logger.info("Reloaded model '{}' from version {} to {} ({} strategy) in {} ms", name(), previous,
						source.version(), this.strategy, took.toMillis());
				return new ReloadResult(name(), ReloadResult.Outcome.RELOADED, previous, source.version(), requested,
						took, "Version " + source.version() + " serves");
			}
			catch (Exception ex) {
				this.lastError.record(ex);
				Long serving = available() ? previous : null;
				logger.warn("Reloading model '{}' ({} strategy) failed; version {} keeps serving: {}", name(),
						this.strategy, serving, ex.getMessage());
				ReloadResult.Outcome outcome = (ex instanceof ModelVersionNotFoundException)
						? ReloadResult.Outcome.NOT_FOUND : ReloadResult.Outcome.FAILED;
				return new ReloadResult(name(), outcome, previous, serving, requested, since(start),
						LastError.describe(ex));
			}
		}
		finally {
			if (requested != null) {
				// A reload to the latest version listed the location to find it (and remembered it); this one did not
				refreshListing();
			}
			this.reloadLock.unlock();
		}
	}

	/**
	 * Loads, warms up and publishes a version into the primary holder (for a strategy that holds nothing: makes it
	 * the version each request loads). Called under the reload lock.
	 */
	void publishPrimary(ModelSource source) throws Exception {
		VersionLoader.Opened opened = this.loader.open(source);
		InferenceModel next = opened.model();
		if (!this.strategy.holdsModel()) {
			// Each request loads its own model: the new target is what they will load from now on
			next.close();
			this.served = Served.of(opened);
		}
		else {
			Served before = this.served;
			this.served = Served.of(opened);
			try {
				holder().publish(next);
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
	 * One scan of the model's location, unless the strategy never changes its model or a reload is running (the
	 * next poll follows it). Never runs two loads at once.
	 */
	void poll() {
		if (!this.strategy.replacesModel() || !this.reloadLock.tryLock()) {
			return;
		}
		try {
			this.poller.poll(this.resolver.policy());
		}
		catch (RuntimeException ex) {
			logger.warn("Polling model '{}' in {} failed: {}", name(), this.definition.location(), ex.getMessage());
		}
		finally {
			this.reloadLock.unlock();
		}
	}

	@Nullable Long primaryVersion() {
		Served served = this.served;
		return (served != null) ? served.version() : null;
	}

	boolean servesBeside(long version) {
		return this.secondaries.containsKey(version);
	}

	List<Long> secondaryVersions() {
		return List.copyOf(this.secondaries.keySet());
	}

	/**
	 * Loads a version into a holder of its own, serving requests that name it. Called under the reload lock.
	 * @return whether it serves
	 */
	boolean addSecondary(ModelSource source) {
		try {
			VersionLoader.Opened opened = this.loader.open(source);
			ModelHolder<InferenceModel> holder = holderBuilder().initialModel(opened.model())
				.listener(new SecondaryListener(source.version()))
				.build();
			this.secondaries.put(source.version(), new Secondary(holder, Served.of(opened)));
			this.observer.versionEvent(name(), source.version(), VersionEvent.PUBLISH);
			logger.info("Model '{}' version {} serves versioned requests", name(), source.version());
			return true;
		}
		catch (Exception ex) {
			return false;
		}
	}

	void retireSecondary(long version) {
		Secondary secondary = this.secondaries.remove(version);
		if (secondary != null) {
			// Waits for its in-flight readers; new versioned requests no longer find it
			secondary.holder().close();
		}
	}

	private static Duration since(long start) {
		return Duration.ofNanos(System.nanoTime() - start);
	}

	@Nullable Served served() {
		return this.served;
	}

	/**
	 * Returns what is known of a served version.
	 * @throws ModelVersionNotServedException if that version is not served
	 */
	Served requireServed(long version) {
		Served served = served(version);
		if (served == null) {
			throw notServed(version);
		}
		return served;
	}

	@Nullable Served served(long version) {
		Served served = this.served;
		if (served != null && served.version() == version) {
			return served;
		}
		Secondary secondary = this.secondaries.get(version);
		return (secondary != null) ? secondary.served() : null;
	}

	/**
	 * Returns the native memory charged for the versions this model holds now: the primary's and every
	 * secondary's, from memory; 0 for a strategy that holds nothing between requests, or before the first load.
	 */
	long memoryBytes() {
		long bytes = 0;
		for (long charge : memoryBytesByVersion().values()) {
			bytes += charge;
		}
		return bytes;
	}

	/**
	 * Returns the native memory charged for each version this model holds now, lowest version first, from memory:
	 * the primary's while it is loaded (not after an eviction) and every secondary's; empty for a strategy that
	 * holds nothing between requests.
	 */
	SortedMap<Long, Long> memoryBytesByVersion() {
		SortedMap<Long, Long> bytes = new TreeMap<>();
		if (!this.strategy.holdsModel()) {
			return bytes;
		}
		Served served = this.served;
		if (served != null && available()) {
			bytes.put(served.version(), served.memoryBytes());
		}
		for (Secondary secondary : this.secondaries.values()) {
			bytes.merge(secondary.served().version(), secondary.served().memoryBytes(), Long::sum);
		}
		return bytes;
	}

	/**
	 * Marks an evictable model as used now, for least-recently-used eviction; nothing for any other model.
	 */
	void used() {
		if (this.definition.evictable()) {
			this.lastUsed = System.nanoTime();
		}
	}

	long lastUsed() {
		return this.lastUsed;
	}

	/**
	 * Whether the registry may unload this model to make room: it is evictable and its primary version is loaded.
	 */
	boolean evictable() {
		if (!this.definition.evictable() || this.unregistered) {
			return false;
		}
		HolderState state = holderState();
		return state != null && state.status() == HolderState.Status.AVAILABLE;
	}

	/**
	 * Unloads the primary version to make room in the memory budget: it closes once the requests inside it have
	 * left, before this returns, and gives its charge back; the next request loads the same version again, one load
	 * for all the requests that find it gone. Versions served beside the primary stay. Never takes the reload lock,
	 * so that a reload of this model waiting for the load turn cannot block the eviction that holds it.
	 * @return whether a version was unloaded
	 */
	boolean evict() {
		Long version = primaryVersion();
		long start = System.nanoTime();
		if (!holder().unload()) {
			return false;
		}
		this.evicted = true;
		if (version != null) {
			this.observer.versionEvent(name(), version, VersionEvent.EVICT);
		}
		logger.info("Evicted model '{}' version {} ({} strategy) in {} ms to make room in the memory budget; its next "
				+ "request loads it again", name(), version, this.strategy,
				TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		return true;
	}

	/**
	 * Whether the primary version was evicted and has not been loaded since.
	 */
	boolean evicted() {
		return this.evicted;
	}

	/**
	 * Makes {@code source} the version the next load of the primary loads, without loading it: for a poll that
	 * finds a new version of an evicted model. Called under the reload lock.
	 */
	void retarget(ModelSource source) {
		this.target = source;
	}

	/**
	 * Returns the native memory charged for the primary version alone: what {@link #evict()} would give back.
	 */
	long primaryMemoryBytes() {
		Served served = this.served;
		return (this.strategy.holdsModel() && available() && served != null) ? served.memoryBytes() : 0;
	}

	/**
	 * Returns how many inferences are inside the primary holder now, from memory.
	 */
	long inFlightReads() {
		HolderState state = holderState();
		return (state != null) ? state.inFlightReads() : 0;
	}

	ModelStatus status() {
		return ModelStatusReport.of(this);
	}

	@Nullable HolderState holderState() {
		ModelHolder<InferenceModel> holder = this.holder;
		return (holder != null) ? holder.state() : null;
	}

	boolean verified() {
		return this.verified;
	}

	VersionResolver resolver() {
		return this.resolver;
	}

	VersionLoader loader() {
		return this.loader;
	}

	LastError lastError() {
		return this.lastError;
	}

	boolean isUnregistered() {
		return this.unregistered;
	}

	/**
	 * Closes the model for good because it is no longer served: after a reload or poll running now (they hold the
	 * reload lock), waiting for the requests inside it.
	 */
	void unregister() {
		this.unregistered = true;
		this.reloadLock.lock();
		try {
			close();
		}
		finally {
			this.reloadLock.unlock();
		}
	}

	@Override
	public void close() {
		this.closing = true;
		for (Long version : secondaryVersions()) {
			retireSecondary(version);
		}
		ModelHolder<InferenceModel> holder = this.holder;
		if (holder != null) {
			holder.close();
		}
	}

	/**
	 * What is known of a served version, kept so that status and metadata need not touch the model.
	 */
	record Served(long version, String platform, String source, java.time.Instant loadedAt, Duration loadDuration,
			long sizeBytes, long memoryBytes, TensorSignature signature) {

		static Served of(VersionLoader.Opened opened) {
			InferenceModel model = opened.model();
			return new Served(model.version(), model.platform(), model.source(), model.loadedAt(),
					model.loadDuration(), model.sizeBytes(), opened.memoryBytes(),
					new TensorSignature(model.name(), model.inputs(), model.outputs()));
		}

		List<TensorSpec> inputs() {
			return this.signature.inputs();
		}

		List<TensorSpec> outputs() {
			return this.signature.outputs();
		}

	}

	/**
	 * A version served besides the primary's.
	 */
	record Secondary(ModelHolder<InferenceModel> holder, Served served) {
	}

	private final class PrimaryListener implements HolderListener {

		@Override
		public void published(long generation) {
			Served served = RegisteredModel.this.served;
			RegisteredModel.this.evicted = false;
			used();
			if (RegisteredModel.this.definition.load() != LoadMode.EAGER
					&& RegisteredModel.this.resolver.policy().mostServed() > 1
					&& RegisteredModel.this.besideScanned.compareAndSet(false, true)) {
				// A lazy or background model's first load (an eager one's start scans itself): the versions beside
				// it load off the thread that loaded it, a request's perhaps
				try {
					RegisteredModel.this.loadExecutor.execute(RegisteredModel.this::loadVersionsBeside);
				}
				catch (RejectedExecutionException closing) {
					// The registry is closing: nothing more to load
				}
			}
			if (served != null) {
				RegisteredModel.this.generationVersions.put(generation, served.version());
				RegisteredModel.this.observer.versionEvent(name(), served.version(), VersionEvent.PUBLISH);
			}
			logger.debug("Model '{}' version {} serves ({} strategy, generation {})", name(),
					(served != null) ? served.version() : "?", RegisteredModel.this.strategy, generation);
		}

		@Override
		public void retired(long generation, Duration drained) {
			if (!RegisteredModel.this.strategy.holdsModel()) {
				return;
			}
			Long version = RegisteredModel.this.generationVersions.remove(generation);
			if (version != null) {
				RegisteredModel.this.observer.versionEvent(name(), version, VersionEvent.RETIRE);
			}
			if (RegisteredModel.this.closing) {
				logger.info("Closed model '{}' version {} ({} strategy) {} ms after it stopped taking requests", name(),
						(version != null) ? version : "?", RegisteredModel.this.strategy, drained.toMillis());
			}
			else {
				logger.info("Retired model '{}' version {} ({} strategy) {} ms after it was replaced", name(),
						(version != null) ? version : "?", RegisteredModel.this.strategy, drained.toMillis());
			}
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
			if (RegisteredModel.this.closing) {
				logger.info("Closed model '{}' version {} ({} strategy) {} ms after it stopped taking requests",
						name(), this.version, RegisteredModel.this.strategy, drained.toMillis());
			}
			else {
				logger.info("Retired model '{}' version {} ({} strategy): no longer wanted by its version policy",
						name(), this.version, RegisteredModel.this.strategy);
			}
		}

	}

}
