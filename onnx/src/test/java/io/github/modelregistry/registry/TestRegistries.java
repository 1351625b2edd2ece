package io.github.modelregistry.registry;

import java.nio.file.Path;

import io.github.modelregistry.holder.HolderState;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import org.jspecify.annotations.Nullable;

/**
 * The project's one fixture for registries in tests: a builder over real ONNX Runtime sessions, definitions of
 * models in a folder, and (for tests that check holder counters) the holder state behind a model, which the
 * registry's public API does not hand out.
 */
public final class TestRegistries {

	private TestRegistries() {
	}

	/**
	 * A builder loading real ONNX Runtime sessions with default settings, no protection.
	 */
	public static ModelRegistry.Builder builder() {
		return ModelRegistry.builder().modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT));
	}

	/**
	 * Builds and starts a registry.
	 */
	public static ModelRegistry started(ModelRegistry.Builder builder) {
		ModelRegistry registry = builder.build();
		registry.start();
		return registry;
	}

	/**
	 * A started registry serving one model from {@code <base>/<name>}.
	 */
	public static ModelRegistry oneModel(Path base, String name, @Nullable Long version, HolderStrategy strategy,
			LoadMode load) {
		return started(builder().model(definition(base, name, version, strategy, load)));
	}

	/**
	 * A model in {@code <base>/<name>}, serving one version (the given one or the highest), with warm-up.
	 */
	public static ModelDefinition definition(Path base, String name, @Nullable Long version, HolderStrategy strategy,
			LoadMode load) {
		return new ModelDefinition(name, "file:" + base.resolve(name), version, strategy, load);
	}

	/**
	 * The size of a registry's inference pool.
	 */
	public static int inferenceThreads(ModelRegistry registry) {
		return registry.inferenceThreads();
	}

	/**
	 * The state of the holder serving a model's unversioned requests.
	 */
	public static HolderState holderState(ModelRegistry registry, String model) {
		return registry.registered(model).holder().state();
	}

}
