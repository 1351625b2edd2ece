package io.github.modelregistry.benchmarks;

import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Inference through the registry against a raw {@link OrtSession#run} on the same committed sample model
 * ({@code restaurant-ranker} version 2, input {@code features} FP32 [10, 40], output {@code score}), one thread,
 * µs/op. The difference is what the registry adds per call: name lookup, the holder's read path, request
 * validation against the model's signature, and the result objects.
 * <p>
 * Both sides do the same ONNX work: a tensor created from a heap {@link FloatBuffer} (ONNX Runtime copies it into
 * native memory), one run with the same session options ({@link SampleModels#rawSession}), the output copied into
 * a heap buffer, tensor and result closed. With {@code per-request} every call also loads the model, which is the
 * article's worst case rather than an overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferenceOverheadBenchmark {

	/**
	 * The sample model copied into a temporary folder, deleted at the end of the trial.
	 */
	abstract static class ModelFolder {

		Path base;

		Path folder;

		void extract() throws Exception {
			this.base = Files.createTempDirectory("benchmark-models");
			this.folder = SampleModels.extractSample(this.base);
		}

		void delete() throws Exception {
			try (Stream<Path> paths = Files.walk(this.base)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}

	}

	/**
	 * A registry serving the sample model with the strategy under test.
	 */
	@State(Scope.Benchmark)
	public static class Registry extends ModelFolder {

		@Param({ "sharded-rcu", "rwlock", "mutex", "static", "per-request" })
		public String strategy;

		ModelRegistry registry;

		List<Tensor> inputs;

		@Setup
		public void setUp() throws Exception {
			extract();
			this.registry = SampleModels.registry(SampleModels.SAMPLE, this.folder, this.strategy);
			this.inputs = List.of(SampleModels.tensor(SampleModels.batch(42)));
		}

		@TearDown
		public void tearDown() throws Exception {
			this.registry.close();
			delete();
		}

	}

	/**
	 * A raw session on version 2 of the sample model: no registry, no holder.
	 */
	@State(Scope.Benchmark)
	public static class Raw extends ModelFolder {

		OrtEnvironment environment;

		OrtSession session;

		float[] features;

		long[] shape;

		@Setup
		public void setUp() throws Exception {
			extract();
			this.environment = OrtEnvironment.getEnvironment();
			this.session = SampleModels.rawSession(this.folder.resolve("2").resolve("model.onnx"));
			this.features = SampleModels.batch(42);
			this.shape = new long[] { SampleModels.BATCH, SampleModels.FEATURES };
		}

		@TearDown
		public void tearDown() throws Exception {
			this.session.close();
			delete();
		}

	}

	@Benchmark
	public void registry(Registry state, Blackhole blackhole) {
		blackhole.consume(state.registry.infer(SampleModels.SAMPLE, null, state.inputs, List.of()));
	}

	@Benchmark
	public void rawSession(Raw state, Blackhole blackhole) throws OrtException {
		try (OnnxTensor input = OnnxTensor.createTensor(state.environment, FloatBuffer.wrap(state.features),
				state.shape); OrtSession.Result result = state.session.run(Map.of(SampleModels.INPUT, input))) {
			blackhole.consume(((OnnxTensor) result.get(0)).getFloatBuffer());
		}
	}

}
