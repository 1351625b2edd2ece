package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
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
 * What observing each inference costs ({@code model.inference}, one Micrometer observation per inference): the
 * registry with observations off (no {@code ObservationRegistry}, as without Actuator) against on, with the meter
 * handler Spring Boot's Actuator registers ({@link DefaultMeterObservationHandler}: the timer, the long-task timer
 * of inferences in progress, a counter per phase event), one thread, {@code sharded-rcu}. On the sample model
 * (10 x 40 FP32 through ONNX Runtime) the cost is read against a real inference; on a model built in code that
 * answers at once, against nothing but the registry's own path. Run by {@code benchmarks/observation.sh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ObservationBenchmark {

	@State(Scope.Benchmark)
	public static class Registry {

		@Param({ "off", "metrics" })
		public String observations;

		@Param({ "sample", "instant" })
		public String model;

		ModelRegistry registry;

		List<Tensor> inputs;

		String name;

		Path base;

		@Setup
		public void setUp() throws Exception {
			ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
			if (this.observations.equals("metrics")) {
				observationRegistry = ObservationRegistry.create();
				observationRegistry.observationConfig()
					.observationHandler(new DefaultMeterObservationHandler(new SimpleMeterRegistry()));
			}
			ModelRegistry.Builder builder = ModelRegistry.builder().observationRegistry(observationRegistry);
			if (this.model.equals("sample")) {
				this.base = Files.createTempDirectory("benchmark-models");
				Path folder = SampleModels.extractSample(this.base);
				builder.model(new ModelDefinition(SampleModels.SAMPLE, folder.toUri().toString(), null,
						HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
					.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT));
				this.name = SampleModels.SAMPLE;
				this.inputs = List.of(SampleModels.tensor(SampleModels.batch(42)));
			}
			else {
				builder.model(new InstantModel("instant"));
				this.name = "instant";
				this.inputs = List.of(Tensor.ofFloats("x", new long[] { 1 }, 1f));
			}
			this.registry = builder.build();
			this.registry.start();
		}

		@TearDown
		public void tearDown() throws Exception {
			this.registry.close();
			if (this.base != null) {
				try (Stream<Path> paths = Files.walk(this.base)) {
					paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
				}
			}
		}

	}

	@Benchmark
	public void infer(Registry state, Blackhole blackhole) {
		blackhole.consume(state.registry.infer(state.name, null, state.inputs, List.of()));
	}

	/**
	 * A model that answers at once with the same output tensor.
	 */
	static final class InstantModel implements InferenceModel {

		private static final List<TensorSpec> INPUTS = List.of(new TensorSpec("x", TensorDatatype.FP32,
				new long[] { 1 }));

		private static final List<TensorSpec> OUTPUTS = List.of(new TensorSpec("y", TensorDatatype.FP32,
				new long[] { 1 }));

		private final String name;

		private final List<Tensor> answer = List.of(Tensor.ofFloats("y", new long[] { 1 }, 2f));

		private final java.time.Instant loadedAt = java.time.Instant.now();

		InstantModel(String name) {
			this.name = name;
		}

		@Override
		public String name() {
			return this.name;
		}

		@Override
		public long version() {
			return 1;
		}

		@Override
		public String platform() {
			return "benchmark";
		}

		@Override
		public String source() {
			return "code";
		}

		@Override
		public List<TensorSpec> inputs() {
			return INPUTS;
		}

		@Override
		public List<TensorSpec> outputs() {
			return OUTPUTS;
		}

		@Override
		public long sizeBytes() {
			return 0;
		}

		@Override
		public java.time.Instant loadedAt() {
			return this.loadedAt;
		}

		@Override
		public Duration loadDuration() {
			return Duration.ZERO;
		}

		@Override
		public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
			return this.answer;
		}

		@Override
		public void close() {
		}

	}

}
