package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.pipeline.Pipeline;
import io.github.modelregistry.registry.InferenceProtection.ModelProtection;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.tensor.TensorBufferPool;
import org.jspecify.annotations.Nullable;

/**
 * Makes what serves a model from its definition, with what the builder set: the repository and loader, the shards,
 * warm-up, protection, caller-runs bound and batching. Kept for the models registered after the registry is built,
 * so that they are made exactly as the configured ones. Loads nothing.
 */
final class ModelFactory {

	private final ModelRepository repository;

	private final @Nullable InferenceModelLoader modelLoader;

	private final int shards;

	private final WarmupRequestReader warmups;

	private final InferenceProtection protection;

	private final @Nullable Duration callerRunsBelow;

	private final @Nullable Batching defaultBatching;

	private final Map<String, @Nullable Batching> batching;

	private final Map<String, Pipeline> pipelines;

	private final @Nullable TensorBufferPool tensorBufferPool;

	private final @Nullable String basePath;

	private final HolderStrategy defaultStrategy;

	ModelFactory(ModelRegistry.Builder builder) {
		this.repository = builder.repository;
		this.modelLoader = builder.modelLoader;
		this.shards = builder.shards;
		this.warmups = builder.warmups;
		this.protection = builder.protection;
		this.callerRunsBelow = builder.callerRunsBelow;
		this.defaultBatching = builder.defaultBatching;
		this.batching = new HashMap<>(builder.batching);
		this.pipelines = new HashMap<>(builder.pipelines);
		this.tensorBufferPool = builder.tensorBufferPool;
		this.basePath = builder.basePath;
		this.defaultStrategy = builder.defaultStrategy;
	}

	/**
	 * Makes what serves one model: its registered versions, protection, caller-runs rule and batcher.
	 * @throws IllegalStateException if the model is loaded from a repository and the registry has no loader
	 */
	ServedModel create(ModelDefinition definition, @Nullable InCodeModel inCode, BackgroundWork background,
			ModelRegistryObserver versionEvents, MemoryBudget memoryBudget, InferencePool pool,
			List<ModelRegistryObserver> observers) {
		RegisteredModel registered = new RegisteredModel(definition,
				(inCode != null) ? inCode.repository() : this.repository,
				(inCode != null) ? inCode.loader() : loader(definition), this.shards, background.retirer(),
				background.loader(), this.warmups, versionEvents, memoryBudget);
		ModelProtection modelProtection = this.protection.forModel(definition.name());
		Batching modelBatching = this.batching.containsKey(definition.name()) ? this.batching.get(definition.name())
				: this.defaultBatching;
		return new ServedModel(registered, modelProtection,
				// An evictable model can be found unloaded by any request, which would then load it on the caller's
				// thread (an event loop, perhaps): its inferences always go to the pool
				CallerRuns.of(definition.name(), definition.strategy(),
						definition.evictable() ? null : this.callerRunsBelow, modelProtection.timeLimit()),
				(modelBatching != null)
						? new Batcher(registered, modelBatching, pool, this.tensorBufferPool, observers) : null,
				inCode, new AtomicReference<>());
	}

	/**
	 * The loader of a model from a repository: the registry's, wrapped in the model's pipeline when it has one.
	 */
	private InferenceModelLoader loader(ModelDefinition definition) {
		InferenceModelLoader loader = requireLoader(definition);
		Pipeline pipeline = this.pipelines.get(definition.name());
		if (pipeline == null) {
			return loader;
		}
		return (model, source) -> pipeline.load(loader.load(model, source), source);
	}

	/**
	 * Checks that a model loaded from a repository can be loaded.
	 * @throws IllegalStateException if the registry has no loader
	 */
	InferenceModelLoader requireLoader(ModelDefinition definition) {
		if (this.modelLoader == null) {
			throw new IllegalStateException("Model '" + definition.name() + "' is loaded from " + definition.location()
					+ " but the registry has no model loader: call modelLoader(new OnnxModelLoader(...)) with"
					+ " model-registry-onnx on the class path (the auto-configuration does when it is there)");
		}
		return this.modelLoader;
	}

	/**
	 * Returns {@code <base>/<name>}, checked to be inside the base.
	 * @throws InvalidModelNameException if it is not, or there is no base
	 */
	String locationOf(String name) {
		if (this.basePath == null) {
			throw new InvalidModelNameException("Model '" + name + "' cannot be registered by name: the registry "
					+ "has no base path (model-registry.base-path)");
		}
		try {
			return this.repository.locationInside(this.basePath, name);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidModelNameException(ex.getMessage());
		}
	}

	/**
	 * The models under the base path, none without one.
	 */
	java.util.SortedSet<String> modelsUnderBasePath() {
		return (this.basePath != null) ? this.repository.modelsUnder(this.basePath) : new java.util.TreeSet<>();
	}

	HolderStrategy defaultStrategy() {
		return this.defaultStrategy;
	}

	/**
	 * Tells the protection a model is gone, so that its instances can be removed.
	 */
	void forget(String model) {
		this.protection.forget(model);
	}

}
