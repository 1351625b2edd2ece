package io.github.modelregistry.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.sample.generator.RestaurantModelGenerator;
import io.github.modelregistry.tensor.Tensor;

/**
 * The models the ONNX benchmarks run: the sample app's committed {@code restaurant-ranker} (copied out of the
 * sample-app jar into a folder, so that the same file serves the registry and the raw session whether the
 * benchmarks run from Maven's classpath or from the shaded jar) and larger random-weight models written by the
 * sample app's {@link RestaurantModelGenerator}.
 */
public final class SampleModels {

	/** The sample model's name, input, and features per row. */
	public static final String SAMPLE = "restaurant-ranker";

	public static final String INPUT = "features";

	public static final int FEATURES = 40;

	/** The batch every ONNX benchmark runs: 10 rows of 40 features. */
	public static final int BATCH = 10;

	private SampleModels() {
	}

	/**
	 * Copies versions 1 and 2 of the committed sample model under {@code base/restaurant-ranker}.
	 * @param base the base folder
	 * @return the model's folder, {@code base/restaurant-ranker}
	 */
	public static Path extractSample(Path base) {
		Path folder = base.resolve(SAMPLE);
		for (int version = 1; version <= 2; version++) {
			String resource = "models/" + SAMPLE + "/" + version + "/model.onnx";
			Path target = folder.resolve(Integer.toString(version)).resolve("model.onnx");
			try (InputStream in = SampleModels.class.getClassLoader().getResourceAsStream(resource)) {
				if (in == null) {
					throw new IllegalStateException("The sample-app jar is not on the classpath: no " + resource);
				}
				Files.createDirectories(target.getParent());
				Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}
		return folder;
	}

	/**
	 * Writes a random-weight model with the sample's 40 inputs and the given hidden layers as version 1 of
	 * {@code base/name}.
	 * @param base the base folder
	 * @param name the model name
	 * @param hidden the hidden layer sizes, such as {@code 1024,1024}
	 * @return the model's folder, {@code base/name}
	 */
	public static Path generate(Path base, String name, String hidden) throws Exception {
		RestaurantModelGenerator.main(new String[] { "--out", base.toString(), "--name", name, "--hidden", hidden });
		return base.resolve(name);
	}

	/**
	 * Creates a registry serving one model, loaded eagerly, as the sample app configures it.
	 * @param name the model name
	 * @param folder the model's folder (its version folders inside)
	 * @param strategy a strategy value
	 * @return the registry
	 */
	public static ModelRegistry registry(String name, Path folder, String strategy) {
		ModelDefinition definition = new ModelDefinition(name, folder.toUri().toString(), null,
				HolderStrategy.fromValue(strategy), LoadMode.EAGER);
		ModelRegistry registry = ModelRegistry.builder()
			.model(definition)
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.build();
		registry.start();
		return registry;
	}

	/**
	 * Opens a raw session on a model file with the options {@link OnnxModelLoader} uses for
	 * {@link OnnxSessionSettings#DEFAULT}: one intra-op and one inter-op thread, all graph optimisations, no
	 * spinning.
	 * @param file the {@code model.onnx} file
	 * @return the session
	 */
	public static OrtSession rawSession(Path file) throws OrtException {
		OnnxSessionSettings settings = OnnxSessionSettings.DEFAULT;
		try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
			options.setIntraOpNumThreads(settings.intraOpThreads());
			options.setInterOpNumThreads(settings.interOpThreads());
			// The same mapping as OptimizationLevel's own, which is package-private
			options.setOptimizationLevel(switch (settings.optimizationLevel()) {
				case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
				case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
				case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
				case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
			});
			options.addConfigEntry("session.intra_op.allow_spinning", "0");
			return OrtEnvironment.getEnvironment().createSession(file.toString(), options);
		}
	}

	/**
	 * Returns a fixed batch of {@link #BATCH} × {@link #FEATURES} features in [0, 1).
	 * @param seed the seed
	 * @return the features, row-major
	 */
	public static float[] batch(long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		float[] features = new float[BATCH * FEATURES];
		for (int i = 0; i < features.length; i++) {
			features[i] = (float) random.nextDouble();
		}
		return features;
	}

	/**
	 * Returns the batch as the registry's input tensor.
	 * @param features the features, row-major
	 * @return the {@code features} tensor of shape [10, 40]
	 */
	public static Tensor tensor(float[] features) {
		return Tensor.ofFloats(INPUT, new long[] { BATCH, FEATURES }, features);
	}

}
