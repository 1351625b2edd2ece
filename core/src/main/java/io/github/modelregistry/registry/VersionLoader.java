package io.github.modelregistry.registry;

import io.github.modelregistry.registry.ModelRegistryObserver.VersionEvent;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.InferenceModel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads one version of a model and, when its strategy holds models, warms it up before anyone can read it
 * (tensorflow/serving #385); logs and reports each load and failure once.
 */
final class VersionLoader {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	private final ModelDefinition definition;

	private final InferenceModelLoader loader;

	private final WarmupRequestReader warmups;

	private final ModelRegistryObserver observer;

	private final LastError lastError;

	private final MemoryBudget budget;

	private volatile @Nullable Warmup lastWarmup;

	VersionLoader(ModelDefinition definition, InferenceModelLoader loader, WarmupRequestReader warmups,
			ModelRegistryObserver observer, LastError lastError, MemoryBudget budget) {
		this.budget = budget;
		this.definition = definition;
		this.loader = loader;
		this.warmups = warmups;
		this.observer = observer;
		this.lastError = lastError;
	}

	/**
	 * Loads a version and warms it up; the caller owns the returned model.
	 * @throws Exception if loading or warm-up failed, after it was logged and recorded
	 */
	Opened open(ModelSource source) throws Exception {
		String name = this.definition.name();
		boolean holds = this.definition.strategy().holdsModel();
		InferenceModel model;
		long charge;
		try {
			// per-request loads on every request: measuring each would serialise its requests' loads for nothing
			if (holds) {
				MemoryBudget.Loaded loaded = this.budget.load(name, source.version(), fileSize(source),
						() -> this.loader.load(name, source));
				model = loaded.model();
				charge = loaded.bytes();
			}
			else {
				model = this.loader.load(name, source);
				charge = model.sizeBytes();
			}
		}
		catch (Exception ex) {
			failed(source, ex);
			throw ex;
		}
		Warmup warmup = null;
		if (this.definition.warmup() && holds) {
			try {
				warmup = Warmup.run(model, source, this.warmups);
				this.lastWarmup = warmup;
			}
			catch (RuntimeException | Error ex) {
				// An error (an assertion in a test's warm-up, an OutOfMemoryError) must not leak the session either
				model.close();
				if (ex instanceof RuntimeException failure) {
					failed(source, failure);
				}
				throw ex;
			}
		}
		if (holds) {
			// per-request loads on every request: logging each would drown the log
			logger.info("Loaded model '{}' version {} ({} strategy) in {} ms from {}, {} KB of native memory{}", name,
					model.version(), this.definition.strategy(), model.loadDuration().toMillis(), model.source(),
					charge / 1024,
					(warmup != null) ? ", warmed up with " + warmup.requests() + " request(s) in "
							+ warmup.took().toMillis() + " ms" : "");
			this.observer.versionEvent(name, model.version(), VersionEvent.LOAD);
		}
		return new Opened(model, charge);
	}

	private static long fileSize(ModelSource source) {
		// Unknown (-1) counts as nothing: the load will say what is wrong with the file
		return Math.max(0, source.content().size());
	}

	/**
	 * A loaded, warmed-up version and the native memory charged for it (see {@link ResidentMemory}).
	 */
	record Opened(InferenceModel model, long memoryBytes) {
	}

	private void failed(ModelSource source, Exception ex) {
		this.lastError.record(ex);
		this.observer.versionEvent(this.definition.name(), source.version(),
				(ex instanceof ModelMemoryExceededException) ? VersionEvent.REFUSE : VersionEvent.FAILURE);
		logger.warn("Loading model '{}' version {} ({} strategy) from {} failed: {}", this.definition.name(),
				source.version(), this.definition.strategy(), source.description(), ex.getMessage());
	}

	@Nullable Warmup lastWarmup() {
		return this.lastWarmup;
	}

}
