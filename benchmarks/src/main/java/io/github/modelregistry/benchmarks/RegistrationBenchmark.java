package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Time from registering a model at run time to its first answer: {@link ModelRegistry#register(String)} (the
 * ONNX Runtime session opened, the model warmed up if its folder has warm-up requests, published) and one
 * inference of the 10 x 40 batch, while the registry serves another model. The model is unregistered after each
 * measured call, outside the measurement. {@code sample} is the committed restaurant ranker (43 KB); {@code wide}
 * a generated model of about 5 ms per batch on one core (hidden layers 4096, 4096; 67 MB of weights). Run by
 * {@code benchmarks/registration.sh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class RegistrationBenchmark {

	@Param({ "sample", "wide" })
	public String model;

	private Path base;

	private ModelRegistry registry;

	private List<Tensor> inputs;

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.base = Files.createTempDirectory("registration-models");
		SampleModels.extractSample(this.base);
		if (this.model.equals("wide")) {
			SampleModels.generate(this.base, "wide", "4096,4096");
		}
		else {
			Files.move(this.base.resolve(SampleModels.SAMPLE), this.base.resolve("sample"));
		}
		SampleModels.extractSample(this.base);
		this.registry = ModelRegistry.builder()
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.basePath(this.base.toUri().toString())
			.defaultStrategy(HolderStrategy.SHARDED_RCU)
			.model(new io.github.modelregistry.registry.ModelDefinition(SampleModels.SAMPLE,
					this.base.resolve(SampleModels.SAMPLE).toUri().toString(), null, HolderStrategy.SHARDED_RCU,
					io.github.modelregistry.registry.LoadMode.EAGER))
			.build();
		this.registry.start();
		this.inputs = List.of(SampleModels.tensor(SampleModels.batch(42)));
	}

	@TearDown(Level.Invocation)
	public void unregister() {
		this.registry.unregister(this.model);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		this.registry.close();
		try (Stream<Path> paths = Files.walk(this.base)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	@Benchmark
	public void registerToFirstAnswer(Blackhole blackhole) {
		this.registry.register(this.model);
		blackhole.consume(this.registry.infer(this.model, null, this.inputs, List.of()));
	}

}
