package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.Batching;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
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

/**
 * Batching off and on under JMH: each benchmark thread is one client that keeps one {@code inferAsync} of a 10×40
 * batch in flight and waits for its answer, so JMH's thread count is the number of requests in flight (a closed
 * loop). Sample time, so that each request's time from sending to answer gives the p50 and p99; throughput is
 * threads ÷ mean time. Each client sends its own rows. The registry is the one the sample app builds for one model
 * (2 inference threads, no protection), with {@link Batching#DEFAULTS} when batching is on.
 * <p>
 * {@code wide} is a generated model of about 5 ms per batch on one core (hidden layers 4096, 4096), written once per
 * trial. Run by {@link BatchingRunner}: {@code benchmarks/batching.sh --jmh}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class BatchingBenchmark {

	/** The generated model's hidden layers. */
	static final String WIDE = "4096,4096";

	private static final AtomicInteger CLIENTS = new AtomicInteger();

	@Param({ "restaurant-ranker", "wide" })
	public String model;

	@Param({ "off", "on" })
	public String batching;

	@Param({ "sharded-rcu", "rwlock", "mutex", "static", "per-request" })
	public String strategy;

	private Path base;

	ModelRegistry registry;

	@Setup
	public void setUp() throws Exception {
		this.base = Files.createTempDirectory("batching-benchmark");
		Path folder = this.model.equals(SampleModels.SAMPLE) ? SampleModels.extractSample(this.base)
				: SampleModels.generate(this.base, this.model, WIDE);
		ModelDefinition definition = new ModelDefinition(this.model, folder.toUri().toString(), null,
				HolderStrategy.fromValue(this.strategy), LoadMode.EAGER);
		this.registry = ModelRegistry.builder()
			.model(definition)
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.batching(this.batching.equals("on") ? Batching.DEFAULTS : null)
			.build();
		this.registry.start();
	}

	@TearDown
	public void tearDown() throws Exception {
		this.registry.close();
		try (Stream<Path> paths = Files.walk(this.base)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	/**
	 * One client: its own rows.
	 */
	@State(Scope.Thread)
	public static class Client {

		List<Tensor> inputs;

		@Setup
		public void setUp() {
			this.inputs = List.of(SampleModels.tensor(SampleModels.batch(CLIENTS.incrementAndGet())));
		}

	}

	@Benchmark
	public InferenceResult infer(BatchingBenchmark benchmark, Client client) {
		return benchmark.registry.inferAsync(benchmark.model, null, client.inputs, List.of()).join();
	}

}
