package io.github.modelregistry.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.github.modelregistry.registry.InferenceModelLoader;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import org.jspecify.annotations.Nullable;

/**
 * Loads {@code .onnx} files into {@link OnnxModel}s with the configured {@link OnnxSessionSettings}: the registry's
 * model loader for ONNX models, in a plain Java program as in a Spring application:
 * <pre>
 * ModelRegistry registry = ModelRegistry.builder()
 *     .modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
 *     .model(ModelDefinition.of("ranker", "/srv/models/ranker"))
 *     .build();
 * </pre>
 */
public class OnnxModelLoader implements InferenceModelLoader {

	private final OrtEnvironment environment;

	private final OnnxSessionSettings settings;

	public OnnxModelLoader(OnnxSessionSettings settings) {
		this(OrtEnvironment.getEnvironment(), settings);
	}

	public OnnxModelLoader(OrtEnvironment environment, OnnxSessionSettings settings) {
		this.environment = environment;
		this.settings = settings;
	}

	public OnnxSessionSettings settings() {
		return this.settings;
	}

	/**
	 * Loads a version: from its file when it is on the file system, else from its bytes (a model inside a jar).
	 */
	@Override
	public OnnxModel load(String model, ModelSource source) throws Exception {
		Path file = source.file();
		return (file != null) ? load(model, source.version(), file)
				: load(model, source.version(), source.description(), source.bytes());
	}

	/**
	 * Loads a model from a file.
	 * @throws OrtException if the file is not a model ONNX Runtime can load
	 * @throws java.io.IOException if the file cannot be read
	 */
	public OnnxModel load(String name, long version, Path file) throws Exception {
		long size = Files.size(file);
		long start = System.nanoTime();
		try (OrtSession.SessionOptions options = sessionOptions()) {
			OrtSession session = this.environment.createSession(file.toString(), options);
			return describe(name, version, file.toUri().toString(), session, size, start);
		}
	}

	/**
	 * Loads a model from its bytes (a model inside a jar).
	 * @throws OrtException if the bytes are not a model ONNX Runtime can load
	 */
	public OnnxModel load(String name, long version, String source, byte[] bytes) throws Exception {
		long start = System.nanoTime();
		try (OrtSession.SessionOptions options = sessionOptions()) {
			OrtSession session = this.environment.createSession(bytes, options);
			return describe(name, version, source, session, bytes.length, start);
		}
	}

	private OrtSession.SessionOptions sessionOptions() throws OrtException {
		OrtSession.SessionOptions options = new OrtSession.SessionOptions();
		try {
			options.setIntraOpNumThreads(this.settings.intraOpThreads());
			options.setInterOpNumThreads(this.settings.interOpThreads());
			options.setOptimizationLevel(this.settings.optimizationLevel().optLevel());
			// Idle intra-op workers otherwise spin for a while after every run, burning the cores requests need
			options.addConfigEntry("session.intra_op.allow_spinning", "0");
			return options;
		}
		catch (OrtException ex) {
			options.close();
			throw ex;
		}
	}

	private OnnxModel describe(String name, long version, String source, OrtSession session, long size, long start)
			throws OrtException {
		try {
			Map<String, TensorSpec> inputs = specs(name, "input", session.getInputInfo(), true);
			Map<String, TensorSpec> outputs = specs(name, "output", session.getOutputInfo(), false);
			return new OnnxModel(name, version, source, this.environment, session, inputs, outputs, size,
					Duration.ofNanos(System.nanoTime() - start));
		}
		catch (RuntimeException | OrtException ex) {
			session.close();
			throw ex;
		}
	}

	private static Map<String, TensorSpec> specs(String model, String kind, Map<String, NodeInfo> nodes,
			boolean required) {
		Map<String, TensorSpec> specs = new LinkedHashMap<>();
		nodes.forEach((nodeName, node) -> {
			TensorSpec spec = spec(nodeName, node);
			if (spec != null) {
				specs.put(nodeName, spec);
			}
			else if (required) {
				throw new IllegalArgumentException("Model '" + model + "' has " + kind + " '" + nodeName + "' of type "
						+ node.getInfo() + ", which is not supported: " + kind + "s must be tensors of "
						+ java.util.Arrays.toString(TensorDatatype.values()));
			}
			// Outputs that are not plain tensors (sequences, maps) are left out of the signature
		});
		return specs;
	}

	/**
	 * Returns the spec of a tensor of a supported element type, or {@code null} for anything else.
	 */
	private static @Nullable TensorSpec spec(String name, NodeInfo node) {
		if (node.getInfo() instanceof TensorInfo info) {
			TensorDatatype datatype = TensorDatatype.ofOnnxTypeName(info.type.name());
			if (datatype != null) {
				return new TensorSpec(name, datatype, info.getShape());
			}
		}
		return null;
	}

}
