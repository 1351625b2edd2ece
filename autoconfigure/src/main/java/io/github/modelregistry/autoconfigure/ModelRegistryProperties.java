package io.github.modelregistry.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OptimizationLevel;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.tensor.TensorBufferPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the model registry.
 *
 * @author model-registry
 */
@ConfigurationProperties("model-registry")
public class ModelRegistryProperties {

	/**
	 * Strategy for holding models, unless a model sets its own: 'sharded-rcu', 'rwlock', 'mutex', 'static' or
	 * 'per-request'.
	 */
	private HolderStrategy strategy = HolderStrategy.SHARDED_RCU;

	/**
	 * Location of the model repository: a folder with one folder per model, each holding numbered version folders
	 * that contain a 'model.onnx'. A 'classpath:' or 'file:' location.
	 */
	private String basePath = "classpath:models";

	/**
	 * Number of reader shards of the 'sharded-rcu' and 'static' strategies, rounded up to a power of two. Defaults to
	 * the number of available processors.
	 */
	private @Nullable Integer shards;

	/**
	 * How long a failed background load waits before it tries again.
	 */
	private Duration loadRetryInterval = Duration.ofSeconds(10);

	/**
	 * How often the loader thread lists the location of each model that is not polled, for the versions status,
	 * health and readiness show; they never list a location themselves. Polled models are listed by their polls.
	 */
	private Duration listingInterval = Duration.ofSeconds(10);

	private final Onnx onnx = new Onnx();

	private final Inference inference = new Inference();

	private final Web web = new Web(this.inference);

	private final Grpc grpc = new Grpc();

	private final Resilience resilience = new Resilience();

	private final TensorPool tensorPool = new TensorPool();

	private final Batching batching = new Batching();

	private final Memory memory = new Memory();

	/**
	 * Models to serve, by name.
	 */
	private final Map<String, Model> models = new LinkedHashMap<>();

	public HolderStrategy getStrategy() {
		return this.strategy;
	}

	public void setStrategy(HolderStrategy strategy) {
		this.strategy = strategy;
	}

	public String getBasePath() {
		return this.basePath;
	}

	public void setBasePath(String basePath) {
		this.basePath = basePath;
	}

	public @Nullable Integer getShards() {
		return this.shards;
	}

	public void setShards(@Nullable Integer shards) {
		if (shards != null && (shards < 1 || shards > 65536)) {
			throw new IllegalArgumentException("model-registry.shards must be between 1 and 65536, was " + shards);
		}
		this.shards = shards;
	}

	public Duration getListingInterval() {
		return this.listingInterval;
	}

	public void setListingInterval(Duration listingInterval) {
		if (listingInterval.isNegative() || listingInterval.isZero()) {
			throw new IllegalArgumentException("model-registry.listing-interval must be positive, was " + listingInterval);
		}
		this.listingInterval = listingInterval;
	}

	public Duration getLoadRetryInterval() {
		return this.loadRetryInterval;
	}

	public void setLoadRetryInterval(Duration loadRetryInterval) {
		if (loadRetryInterval.isNegative() || loadRetryInterval.isZero()) {
			throw new IllegalArgumentException(
					"model-registry.load-retry-interval must be positive, was " + loadRetryInterval);
		}
		this.loadRetryInterval = loadRetryInterval;
	}

	public Onnx getOnnx() {
		return this.onnx;
	}

	public Inference getInference() {
		return this.inference;
	}

	public Web getWeb() {
		return this.web;
	}

	public Grpc getGrpc() {
		return this.grpc;
	}

	public Resilience getResilience() {
		return this.resilience;
	}

	public TensorPool getTensorPool() {
		return this.tensorPool;
	}

	public Memory getMemory() {
		return this.memory;
	}

	public Batching getBatching() {
		return this.batching;
	}

	public Map<String, Model> getModels() {
		return this.models;
	}

	/**
	 * Returns the strategy a model is held by: its own if configured, else {@link #getStrategy() the default}.
	 * @param model the model name, configured or not
	 */
	public HolderStrategy strategyOf(String model) {
		Model configured = this.models.get(model);
		HolderStrategy strategy = (configured != null) ? configured.getStrategy() : null;
		return (strategy != null) ? strategy : this.strategy;
	}

	/**
	 * One model to serve.
	 */
	public static class Model {

		/**
		 * Location of the folder holding this model's version folders. Defaults to the base path followed by the
		 * model's name.
		 */
		private @Nullable String path;

		/**
		 * Version to serve, a shorthand for a specific version policy with one version. Defaults to the highest
		 * version found.
		 */
		private @Nullable Long version;

		private final VersionPolicy versionPolicy = new VersionPolicy();

		/**
		 * How often to scan the model's folder for versions to load and retire. Not set: no polling; versions
		 * change only through reloads.
		 */
		private @Nullable Duration pollInterval;

		/**
		 * Whether to run warm-up requests through each version before it serves: the files in its 'warmup' folder
		 * (V2 inference requests), or one generated request of zeros.
		 */
		private boolean warmup = true;

		/**
		 * Strategy for holding this model. Defaults to 'model-registry.strategy'.
		 */
		private @Nullable HolderStrategy strategy;

		/**
		 * When to load the model: 'eager' at start-up, where a model that cannot be loaded stops the application
		 * from starting; 'background' at start-up without holding it back, readiness down until the model is
		 * available and failed loads retried; or 'lazy' on first use, where the application starts and the model
		 * reports its failure. The 'static' strategy always loads at start-up.
		 */
		private LoadMode load = LoadMode.EAGER;

		/**
		 * Whether the model may be unloaded when a load needs room in 'model-registry.memory.max': the least
		 * recently used evictable model with no request in flight goes first, and its next request loads it again.
		 * Only for 'lazy' models held by sharded-rcu, rwlock or mutex.
		 */
		private boolean evictable;

		private final BatchingOverrides batching = new BatchingOverrides();

		public @Nullable String getPath() {
			return this.path;
		}

		public void setPath(@Nullable String path) {
			this.path = path;
		}

		public @Nullable Long getVersion() {
			return this.version;
		}

		public void setVersion(@Nullable Long version) {
			if (version != null && version < 1) {
				throw new IllegalArgumentException("A model version must be a positive integer, was " + version);
			}
			this.version = version;
		}

		public VersionPolicy getVersionPolicy() {
			return this.versionPolicy;
		}

		public @Nullable Duration getPollInterval() {
			return this.pollInterval;
		}

		public void setPollInterval(@Nullable Duration pollInterval) {
			if (pollInterval != null && (pollInterval.isNegative() || pollInterval.isZero())) {
				throw new IllegalArgumentException("A model's poll-interval must be positive, was " + pollInterval);
			}
			this.pollInterval = pollInterval;
		}

		public boolean isWarmup() {
			return this.warmup;
		}

		public void setWarmup(boolean warmup) {
			this.warmup = warmup;
		}

		public @Nullable HolderStrategy getStrategy() {
			return this.strategy;
		}

		public void setStrategy(@Nullable HolderStrategy strategy) {
			this.strategy = strategy;
		}

		public LoadMode getLoad() {
			return this.load;
		}

		public void setLoad(LoadMode load) {
			this.load = load;
		}

		public boolean isEvictable() {
			return this.evictable;
		}

		public void setEvictable(boolean evictable) {
			this.evictable = evictable;
		}

		public BatchingOverrides getBatching() {
			return this.batching;
		}

	}

	/**
	 * Which versions of a model to serve, as TensorFlow Serving's version policies say it. Set at most one of the
	 * two; with neither, the highest version serves.
	 */
	public static class VersionPolicy {

		/**
		 * Number of highest versions to serve at once; unversioned requests go to the highest.
		 */
		private @Nullable Integer latest;

		/**
		 * Versions to serve, exactly.
		 */
		private List<Long> specific = new ArrayList<>();

		public @Nullable Integer getLatest() {
			return this.latest;
		}

		public void setLatest(@Nullable Integer latest) {
			if (latest != null && latest < 1) {
				throw new IllegalArgumentException("version-policy.latest must be at least 1, was " + latest);
			}
			this.latest = latest;
		}

		public List<Long> getSpecific() {
			return this.specific;
		}

		public void setSpecific(List<Long> specific) {
			this.specific = specific;
		}

	}

	/**
	 * ONNX Runtime session settings, shared by every model.
	 */
	public static class Onnx {

		/**
		 * Threads ONNX Runtime may use inside one operator. 1 keeps each request on one core, so that concurrency
		 * comes from serving requests in parallel; 0 lets ONNX Runtime use one per physical core.
		 */
		private int intraOpThreads = 1;

		/**
		 * Threads ONNX Runtime may use to run independent operators in parallel.
		 */
		private int interOpThreads = 1;

		/**
		 * Graph optimisations ONNX Runtime applies when it loads a model.
		 */
		private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;

		public int getIntraOpThreads() {
			return this.intraOpThreads;
		}

		public void setIntraOpThreads(int intraOpThreads) {
			if (intraOpThreads < 0) {
				throw new IllegalArgumentException(
						"model-registry.onnx.intra-op-threads must be 0 or more, was " + intraOpThreads);
			}
			this.intraOpThreads = intraOpThreads;
		}

		public int getInterOpThreads() {
			return this.interOpThreads;
		}

		public void setInterOpThreads(int interOpThreads) {
			if (interOpThreads < 0) {
				throw new IllegalArgumentException(
						"model-registry.onnx.inter-op-threads must be 0 or more, was " + interOpThreads);
			}
			this.interOpThreads = interOpThreads;
		}

		public OptimizationLevel getOptimizationLevel() {
			return this.optimizationLevel;
		}

		public void setOptimizationLevel(OptimizationLevel optimizationLevel) {
			this.optimizationLevel = optimizationLevel;
		}

	}

	/**
	 * The Open Inference Protocol's gRPC service, served by Spring Boot's gRPC server (spring.grpc.server.*: its
	 * port, 9090 by default, and its largest inbound message, spring.grpc.server.inbound.message.max-size).
	 */
	public static class Grpc {

		/**
		 * Whether to serve inference.GRPCInferenceService when Spring Boot's gRPC server is on the class path.
		 */
		private boolean enabled = true;

		/**
		 * Most tensor elements one request may hold, summed over its inputs; more are answered with
		 * RESOURCE_EXHAUSTED.
		 */
		private int maxElements = 4 * 1024 * 1024;

		/**
		 * Longest time a client may take to send its whole request, from the call's start to its half-close,
		 * whatever deadline it set; a slower one gets DEADLINE_EXCEEDED. The request is in before a model's permit
		 * is asked for, so a slow upload never holds a permit.
		 */
		private Duration messageTimeout = Duration.ofSeconds(10);

		/**
		 * Most inputs, requested outputs or raw contents one request may hold; the bytes of a request that holds
		 * more are refused with INVALID_ARGUMENT before protobuf builds anything from them.
		 */
		private int maxTensors = 128;

		/**
		 * Most calls one connection may have open at once (HTTP/2 MAX_CONCURRENT_STREAMS): with the largest inbound
		 * message, it bounds the bytes one connection can make the server hold.
		 */
		private int maxConcurrentCallsPerConnection = 64;

		/**
		 * Most streams a client may reset on one connection within rst-frames-window before the connection is
		 * closed with a GOAWAY (HTTP/2 rapid reset, CVE-2023-44487).
		 */
		private int maxRstFrames = 200;

		/**
		 * Window over which max-rst-frames is counted.
		 */
		private Duration rstFramesWindow = Duration.ofSeconds(10);

		public int getMaxTensors() {
			return this.maxTensors;
		}

		public void setMaxTensors(int maxTensors) {
			if (maxTensors < 1) {
				throw new IllegalArgumentException("model-registry.grpc.max-tensors must be at least 1, was " + maxTensors);
			}
			this.maxTensors = maxTensors;
		}

		public int getMaxConcurrentCallsPerConnection() {
			return this.maxConcurrentCallsPerConnection;
		}

		public void setMaxConcurrentCallsPerConnection(int maxConcurrentCallsPerConnection) {
			if (maxConcurrentCallsPerConnection < 1) {
				throw new IllegalArgumentException(
						"model-registry.grpc.max-concurrent-calls-per-connection must be at least 1, was "
								+ maxConcurrentCallsPerConnection);
			}
			this.maxConcurrentCallsPerConnection = maxConcurrentCallsPerConnection;
		}

		public int getMaxRstFrames() {
			return this.maxRstFrames;
		}

		public void setMaxRstFrames(int maxRstFrames) {
			if (maxRstFrames < 1) {
				throw new IllegalArgumentException(
						"model-registry.grpc.max-rst-frames must be at least 1, was " + maxRstFrames);
			}
			this.maxRstFrames = maxRstFrames;
		}

		public Duration getRstFramesWindow() {
			return this.rstFramesWindow;
		}

		public void setRstFramesWindow(Duration rstFramesWindow) {
			if (rstFramesWindow.toSeconds() < 1) {
				throw new IllegalArgumentException(
						"model-registry.grpc.rst-frames-window must be at least a second, was " + rstFramesWindow);
			}
			this.rstFramesWindow = rstFramesWindow;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getMessageTimeout() {
			return this.messageTimeout;
		}

		public void setMessageTimeout(Duration messageTimeout) {
			if (messageTimeout.isNegative() || messageTimeout.isZero()) {
				throw new IllegalArgumentException(
						"model-registry.grpc.message-timeout must be positive, was " + messageTimeout);
			}
			this.messageTimeout = messageTimeout;
		}

		public int getMaxElements() {
			return this.maxElements;
		}

		public void setMaxElements(int maxElements) {
			if (maxElements < 1) {
				throw new IllegalArgumentException(
						"model-registry.grpc.max-elements must be at least 1, was " + maxElements);
			}
			this.maxElements = maxElements;
		}

	}

	/**
	 * The Open Inference Protocol (V2) HTTP API.
	 */
	public static class Web {

		/**
		 * Whether to serve the Open Inference Protocol (V2) endpoints.
		 */
		private boolean enabled = true;

		/**
		 * Prefix of the V2 routes, for example '/ml' to serve '/ml/v2/models/...'.
		 */
		private String basePath = "";

		/**
		 * Whether to serve the protocol's model repository extension (POST /v2/repository/index and
		 * /v2/repository/models/{name}/load and /unload) on the management server, to callers the application's
		 * security authenticated. Needs a management port of its own (management.server.port).
		 */
		private boolean repositoryEnabled;

		/**
		 * Largest request body accepted; larger ones are answered with 413.
		 */
		private DataSize maxRequestSize = DataSize.ofMegabytes(16);

		/**
		 * Most tensor elements one request may hold, summed over its inputs; more are answered with 413.
		 */
		private int maxElements = 4 * 1024 * 1024;

		/**
		 * Longest time a client may take to send a request body, from the first byte the handler asks for to the
		 * last; a slower one is answered with 408. The body is read in full before a model's permit is asked for,
		 * so a slow upload never holds a permit.
		 */
		private Duration bodyTimeout = Duration.ofSeconds(10);

		/**
		 * Whether to guard the Reactor Netty server's HTTP/1.1 connections: the header, body and idle time-outs below,
		 * and a JSON 4xx with one DEBUG line for framing that does not decode.
		 */
		private boolean connectionGuards = true;

		/**
		 * Most Actuator calls without credentials served at once, on whichever port Actuator is; more are answered
		 * 503 with Retry-After at once. Calls with an Authorization header are not counted.
		 */
		private int anonymousManagementCalls = 4;

		/**
		 * Longest time a client may take to send a request's line and headers, from the connection's opening or the
		 * first byte of a later request on it; a slower one gets a 408 and the connection closes. Applies to every
		 * HTTP/1.1 request the Reactor Netty server takes, as do the body time-out (the connection closes a second
		 * after it, for endpoints other than V2's) and, when server.netty.idle-timeout is not set, an idle
		 * time-out of a minute.
		 */
		private Duration headerTimeout = Duration.ofSeconds(10);

		/** Where the deprecated pool settings went. */
		private final Inference inference;

		Web(Inference inference) {
			this.inference = inference;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isRepositoryEnabled() {
			return this.repositoryEnabled;
		}

		public void setRepositoryEnabled(boolean repositoryEnabled) {
			this.repositoryEnabled = repositoryEnabled;
		}

		public String getBasePath() {
			return this.basePath;
		}

		public void setBasePath(String basePath) {
			if (!basePath.isEmpty() && !basePath.startsWith("/")) {
				throw new IllegalArgumentException(
						"model-registry.web.base-path must be empty or start with '/', was '" + basePath + "'");
			}
			this.basePath = basePath;
		}

		public DataSize getMaxRequestSize() {
			return this.maxRequestSize;
		}

		public void setMaxRequestSize(DataSize maxRequestSize) {
			if (maxRequestSize.toBytes() < 1 || maxRequestSize.toBytes() > Integer.MAX_VALUE) {
				throw new IllegalArgumentException(
						"model-registry.web.max-request-size must be between 1 byte and 2 GB, was " + maxRequestSize);
			}
			this.maxRequestSize = maxRequestSize;
		}

		public int getMaxElements() {
			return this.maxElements;
		}

		public void setMaxElements(int maxElements) {
			if (maxElements < 1) {
				throw new IllegalArgumentException(
						"model-registry.web.max-elements must be at least 1, was " + maxElements);
			}
			this.maxElements = maxElements;
		}

		/**
		 * Threads that run inference.
		 * @deprecated the pool serves every caller, not only the web: use model-registry.inference.threads
		 */
		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "model-registry.inference.threads", since = "0.1.0")
		public @Nullable Integer getInferenceThreads() {
			return this.inference.getThreads();
		}

		@Deprecated(since = "0.1.0")
		public void setInferenceThreads(@Nullable Integer inferenceThreads) {
			this.inference.setThreads(inferenceThreads);
		}

		public int getAnonymousManagementCalls() {
			return this.anonymousManagementCalls;
		}

		public void setAnonymousManagementCalls(int anonymousManagementCalls) {
			if (anonymousManagementCalls < 1) {
				throw new IllegalArgumentException(
						"model-registry.web.anonymous-management-calls must be at least 1, was " + anonymousManagementCalls);
			}
			this.anonymousManagementCalls = anonymousManagementCalls;
		}

		public boolean isConnectionGuards() {
			return this.connectionGuards;
		}

		public void setConnectionGuards(boolean connectionGuards) {
			this.connectionGuards = connectionGuards;
		}

		public Duration getHeaderTimeout() {
			return this.headerTimeout;
		}

		public void setHeaderTimeout(Duration headerTimeout) {
			if (headerTimeout.isNegative() || headerTimeout.isZero()) {
				throw new IllegalArgumentException(
						"model-registry.web.header-timeout must be positive, was " + headerTimeout);
			}
			this.headerTimeout = headerTimeout;
		}

		public Duration getBodyTimeout() {
			return this.bodyTimeout;
		}

		public void setBodyTimeout(Duration bodyTimeout) {
			if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
				throw new IllegalArgumentException("model-registry.web.body-timeout must be positive, was " + bodyTimeout);
			}
			this.bodyTimeout = bodyTimeout;
		}

		/**
		 * Most inferences waiting for a thread.
		 * @deprecated the pool serves every caller, not only the web: use model-registry.inference.max-queued
		 */
		@Deprecated(since = "0.1.0")
		@DeprecatedConfigurationProperty(replacement = "model-registry.inference.max-queued", since = "0.1.0")
		public int getMaxQueuedInferences() {
			return this.inference.getMaxQueued();
		}

		@Deprecated(since = "0.1.0")
		public void setMaxQueuedInferences(int maxQueuedInferences) {
			this.inference.setMaxQueued(maxQueuedInferences);
		}

	}

	/**
	 * Where inference runs: the registry's pool, which runs every asynchronous inference (the V2 endpoints' among
	 * them) off the caller's thread, and when a small model may run on the caller's thread instead.
	 */
	public static class Inference {

		/**
		 * Threads that run asynchronous inferences, off the event loop. Defaults to the number of available
		 * processors.
		 */
		private @Nullable Integer threads;

		/**
		 * Most inferences waiting for a thread; more are refused at once (429 over HTTP).
		 */
		private int maxQueued = 10_000;

		/**
		 * Lets an asynchronous inference run on the caller's thread (for the V2 endpoints: the event loop that read
		 * the request) while the model's recent runs took less than this, if its strategy's reads never wait
		 * ('sharded-rcu', 'static'); a model that grows slower goes back to the pool by itself. Must be shorter
		 * than every such model's time limit. Unset, the default: always on the pool. For small models, whose run
		 * costs less than the two thread hand-offs it saves; a few hundred microseconds keeps an event loop
		 * responsive.
		 */
		private @Nullable Duration callerRunsBelow;

		public @Nullable Integer getThreads() {
			return this.threads;
		}

		public void setThreads(@Nullable Integer threads) {
			if (threads != null && threads < 1) {
				throw new IllegalArgumentException("model-registry.inference.threads must be at least 1, was " + threads);
			}
			this.threads = threads;
		}

		public int getMaxQueued() {
			return this.maxQueued;
		}

		public void setMaxQueued(int maxQueued) {
			if (maxQueued < 1) {
				throw new IllegalArgumentException(
						"model-registry.inference.max-queued must be at least 1, was " + maxQueued);
			}
			this.maxQueued = maxQueued;
		}

		public @Nullable Duration getCallerRunsBelow() {
			return this.callerRunsBelow;
		}

		public void setCallerRunsBelow(@Nullable Duration callerRunsBelow) {
			if (callerRunsBelow != null && (callerRunsBelow.isNegative() || callerRunsBelow.isZero())) {
				throw new IllegalArgumentException(
						"model-registry.inference.caller-runs-below must be positive, was " + callerRunsBelow);
			}
			this.callerRunsBelow = callerRunsBelow;
		}

	}

	/**
	 * The native-memory budget of the models.
	 */
	public static class Memory {

		/**
		 * Most native memory all loaded model versions may be charged together (each is charged its growth of the
		 * process's resident memory while it loaded, at least its file's size); a load that would pass it is
		 * refused (507 over HTTP) and what served before goes on serving. Unbounded when not set.
		 */
		private @Nullable DataSize max;

		public @Nullable DataSize getMax() {
			return this.max;
		}

		public void setMax(@Nullable DataSize max) {
			if (max != null && max.toBytes() <= 0) {
				throw new IllegalArgumentException("model-registry.memory.max must be positive, was " + max);
			}
			this.max = max;
		}

	}

	/**
	 * Pool of direct buffers that V2 requests are decoded into, so that ONNX Runtime reads the input tensors in
	 * place instead of copying them into a new direct buffer on every request.
	 */
	public static class TensorPool {

		/**
		 * Whether to decode input tensors into pooled direct buffers.
		 */
		private boolean enabled = true;

		/**
		 * Most direct memory the pool may own, idle and leased buffers together. Beyond it, requests get buffers
		 * that the garbage collector frees.
		 */
		private DataSize maxSize = DataSize.ofMegabytes(64);

		/**
		 * Largest buffer the pool keeps, rounded up to a power of two; larger tensors get unpooled buffers.
		 */
		private DataSize maxBufferSize = DataSize.ofMegabytes(4);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public DataSize getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(DataSize maxSize) {
			if (maxSize.toBytes() < 0) {
				throw new IllegalArgumentException(
						"model-registry.tensor-pool.max-size must not be negative, was " + maxSize);
			}
			this.maxSize = maxSize;
		}

		public DataSize getMaxBufferSize() {
			return this.maxBufferSize;
		}

		public void setMaxBufferSize(DataSize maxBufferSize) {
			if (maxBufferSize.toBytes() < TensorBufferPool.MIN_BUFFER_BYTES || maxBufferSize.toBytes() > (1 << 30)) {
				throw new IllegalArgumentException("model-registry.tensor-pool.max-buffer-size must be between "
						+ TensorBufferPool.MIN_BUFFER_BYTES + " bytes and 1 GB, was " + maxBufferSize);
			}
			this.maxBufferSize = maxBufferSize;
		}

	}

	/**
	 * Resilience4j around inference, when Resilience4j is on the class path. The instances are named after the
	 * models and configured with Resilience4j's own properties.
	 */
	public static class Resilience {

		private final Part bulkhead = new Part();

		private final Part timeLimiter = new Part();

		private final Part circuitBreaker = new Part();

		public Part getBulkhead() {
			return this.bulkhead;
		}

		public Part getTimeLimiter() {
			return this.timeLimiter;
		}

		public Part getCircuitBreaker() {
			return this.circuitBreaker;
		}

		/**
		 * One Resilience4j pattern.
		 */
		public static class Part {

			/**
			 * Whether to apply this pattern to inference.
			 */
			private boolean enabled = true;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

		}

	}

	/**
	 * Dynamic batching of every model's concurrent requests, with Triton's semantics; each model may override any
	 * of it under 'model-registry.models.<name>.batching'.
	 */
	public static class Batching {

		/**
		 * Whether concurrent requests for one model and version, with the same input names, datatypes and shapes
		 * after the first dimension, run as one call of the runtime.
		 */
		private boolean enabled;

		/**
		 * Most rows (first-dimension entries, summed over the requests) one run takes; a request with more runs
		 * alone.
		 */
		private int maxBatchSize = io.github.modelregistry.registry.Batching.DEFAULTS.maxBatchSize();

		/**
		 * How long a free inference thread may wait for more requests, only while neither a full batch nor one of
		 * the preferred sizes can be formed. 0: run whatever is queued when a thread is free.
		 */
		private Duration maxQueueDelay = Duration.ZERO;

		/**
		 * Row counts worth running at once without waiting out the delay.
		 */
		private List<Integer> preferredBatchSizes = new ArrayList<>();

		/**
		 * Most requests of one model waiting for a batch; one more is refused at once with 429.
		 */
		private int maxQueueSize = io.github.modelregistry.registry.Batching.DEFAULTS.maxQueueSize();

		/**
		 * Longest a request may wait before its batch starts; past it, it is refused with 503 and counted as
		 * rejected, never as a failure of the model. Not set: no limit but the time limiter's.
		 */
		private @Nullable Duration queueTimeout;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(int maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public Duration getMaxQueueDelay() {
			return this.maxQueueDelay;
		}

		public void setMaxQueueDelay(Duration maxQueueDelay) {
			this.maxQueueDelay = maxQueueDelay;
		}

		public List<Integer> getPreferredBatchSizes() {
			return this.preferredBatchSizes;
		}

		public void setPreferredBatchSizes(List<Integer> preferredBatchSizes) {
			this.preferredBatchSizes = preferredBatchSizes;
		}

		public int getMaxQueueSize() {
			return this.maxQueueSize;
		}

		public void setMaxQueueSize(int maxQueueSize) {
			this.maxQueueSize = maxQueueSize;
		}

		public @Nullable Duration getQueueTimeout() {
			return this.queueTimeout;
		}

		public void setQueueTimeout(@Nullable Duration queueTimeout) {
			this.queueTimeout = queueTimeout;
		}

		/**
		 * Returns the settings for one model: its overrides over these, or {@code null} if it is not batched.
		 * @throws IllegalArgumentException naming the property that is out of range
		 */
		public io.github.modelregistry.registry.@Nullable Batching resolve(String model, BatchingOverrides overrides) {
			boolean on = (overrides.getEnabled() != null) ? overrides.getEnabled() : this.enabled;
			if (!on) {
				return null;
			}
			try {
				return new io.github.modelregistry.registry.Batching(
						or(overrides.getMaxBatchSize(), this.maxBatchSize),
						or(overrides.getMaxQueueDelay(), this.maxQueueDelay),
						or(overrides.getPreferredBatchSizes(), this.preferredBatchSizes),
						or(overrides.getMaxQueueSize(), this.maxQueueSize),
						(overrides.getQueueTimeout() != null) ? overrides.getQueueTimeout() : this.queueTimeout);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("Batching of model '" + model + "' (model-registry.batching.*, "
						+ "model-registry.models." + model + ".batching.*): " + ex.getMessage(), ex);
			}
		}

		private static <T> T or(@Nullable T override, T value) {
			return (override != null) ? override : value;
		}

	}

	/**
	 * One model's batching, where it differs from 'model-registry.batching'.
	 */
	public static class BatchingOverrides {

		/**
		 * Whether this model's requests are batched. Defaults to 'model-registry.batching.enabled'.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Most rows one run of this model takes. Defaults to 'model-registry.batching.max-batch-size'.
		 */
		private @Nullable Integer maxBatchSize;

		/**
		 * How long a free thread may wait for more of this model's requests. Defaults to
		 * 'model-registry.batching.max-queue-delay'.
		 */
		private @Nullable Duration maxQueueDelay;

		/**
		 * Row counts worth running at once. Defaults to 'model-registry.batching.preferred-batch-sizes'.
		 */
		private @Nullable List<Integer> preferredBatchSizes;

		/**
		 * Most of this model's requests waiting for a batch. Defaults to 'model-registry.batching.max-queue-size'.
		 */
		private @Nullable Integer maxQueueSize;

		/**
		 * Longest one of this model's requests may wait before its batch starts. Defaults to
		 * 'model-registry.batching.queue-timeout'.
		 */
		private @Nullable Duration queueTimeout;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Integer getMaxBatchSize() {
			return this.maxBatchSize;
		}

		public void setMaxBatchSize(@Nullable Integer maxBatchSize) {
			this.maxBatchSize = maxBatchSize;
		}

		public @Nullable Duration getMaxQueueDelay() {
			return this.maxQueueDelay;
		}

		public void setMaxQueueDelay(@Nullable Duration maxQueueDelay) {
			this.maxQueueDelay = maxQueueDelay;
		}

		public @Nullable List<Integer> getPreferredBatchSizes() {
			return this.preferredBatchSizes;
		}

		public void setPreferredBatchSizes(@Nullable List<Integer> preferredBatchSizes) {
			this.preferredBatchSizes = preferredBatchSizes;
		}

		public @Nullable Integer getMaxQueueSize() {
			return this.maxQueueSize;
		}

		public void setMaxQueueSize(@Nullable Integer maxQueueSize) {
			this.maxQueueSize = maxQueueSize;
		}

		public @Nullable Duration getQueueTimeout() {
			return this.queueTimeout;
		}

		public void setQueueTimeout(@Nullable Duration queueTimeout) {
			this.queueTimeout = queueTimeout;
		}

	}

}
