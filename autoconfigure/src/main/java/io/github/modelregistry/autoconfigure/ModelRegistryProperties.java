package io.github.modelregistry.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.tensor.TensorBufferPool;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for the model registry: strategy, repository, models, the inference pool, batching,
 * memory and the ONNX Runtime and Resilience4j settings. Each face has its own ({@code model-registry.web.*},
 * {@code model-registry.grpc.*}).
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
	 * that contain a 'model.onnx'. A 'classpath:' or 'file:' location, or a path on the file system.
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

	private final Inference inference = new Inference();

	private final Resilience resilience = new Resilience();

	private final TensorPool tensorPool = new TensorPool();

	private final Batching batching = new Batching();

	private final Memory memory = new Memory();

	private final Management management = new Management();

	/**
	 * Models to serve, by name: under model-registry.models.<name>, 'load' (eager, background or lazy), 'path'
	 * (instead of base-path/<name>), 'version' (the one version to serve), 'version-policy.latest' or
	 * 'version-policy.specific' (the versions to serve), 'poll-interval' (how often to scan for versions), 'strategy'
	 * (how the model is held), 'warmup' (whether warm-up requests run first), 'evictable' (whether the memory budget
	 * may unload it), 'batching.*' (this model's batching), 'pipeline.pre' and 'pipeline.post' (Java stages before and
	 * after its runtime, by PipelineStageFactory bean name) and 'pipeline.options.*' (their options). A key that names
	 * none of these fails the start.
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

	public Inference getInference() {
		return this.inference;
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

	public Management getManagement() {
		return this.management;
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

		private final Pipeline pipeline = new Pipeline();

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

		public Pipeline getPipeline() {
			return this.pipeline;
		}

	}

	/**
	 * Java stages around a model's runtime, served with it as one model: each stage is the name of a
	 * PipelineStageFactory bean ('huggingFaceTokenizer' and 'meanPooling' are built in).
	 */
	public static class Pipeline {

		/**
		 * Stages that run before the model's runtime, in order, such as 'huggingFaceTokenizer'.
		 */
		private List<String> pre = new ArrayList<>();

		/**
		 * Stages that run after the model's runtime, in order, such as 'meanPooling'.
		 */
		private List<String> post = new ArrayList<>();

		/**
		 * Options every stage of the pipeline is made with, such as 'max-length' (the tokenizer's tokens per text)
		 * or 'normalize' (whether pooling scales vectors to length 1).
		 */
		private Map<String, String> options = new LinkedHashMap<>();

		public List<String> getPre() {
			return this.pre;
		}

		public void setPre(List<String> pre) {
			this.pre = pre;
		}

		public List<String> getPost() {
			return this.post;
		}

		public void setPost(List<String> post) {
			this.post = post;
		}

		public Map<String, String> getOptions() {
			return this.options;
		}

		public void setOptions(Map<String, String> options) {
			this.options = options;
		}

		/**
		 * Whether any stage is configured.
		 */
		public boolean isConfigured() {
			return !this.pre.isEmpty() || !this.post.isEmpty();
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

	/**
	 * Who may change what is served: the Actuator {@code models} endpoint's writes (reload, register, unregister)
	 * and the V2 model repository extension.
	 */
	public static class Management {

		/**
		 * Whether model writes need an authenticated caller (a principal the application's security, Spring
		 * Security or another, put on the request), whatever the endpoint's access allows: without one they are
		 * answered 401 and change nothing. Turn off only where another layer (a gateway, a service mesh)
		 * authenticates every caller that can reach the endpoint.
		 */
		private boolean authenticatedWrites = true;

		public boolean isAuthenticatedWrites() {
			return this.authenticatedWrites;
		}

		public void setAuthenticatedWrites(boolean authenticatedWrites) {
			this.authenticatedWrites = authenticatedWrites;
		}

	}

}
