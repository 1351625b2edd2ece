package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.InferenceModelLoader;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryObserver;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.ForwardingInferenceModel;
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
 * What a request costs when its model was evicted: three evictable lazy models of one kind ({@code sample}, the
 * committed 43 KB restaurant ranker, or {@code wide}, about 5 ms per batch and 67 MB of weights) in a memory budget
 * that holds two of them beside an eager resident copy of the same model. {@code evictThenAnswer} asks for the three in turn, so that
 * every call finds its model evicted: it unloads the least recently used one (waiting for its close), loads its
 * own (the session opened and warmed up) and answers the 10 x 40 batch. {@code residentAnswer}, in the same run,
 * is the same request to the resident copy: what it costs when nothing is evicted. Each evictable session
 * declares four times its file's size (at least 4 MB), which is then its charge (a charge is at least the declared size, and a load
 * grows resident memory by less: the probe checks it), and the budget is two and a half charges beside the
 * resident model, so that it holds exactly two whatever memory the allocator reuses from the session evicted
 * before; the trial prints the evictions per call to show it. Run by {@code benchmarks/eviction.sh}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class EvictionBenchmark {

	private static final String[] EVICTABLE = { "e1", "e2", "e3" };

	/** The same model, eager and never evicted. */
	private static final String RESIDENT = "resident";

	@Param({ "sample", "wide" })
	public String model;

	private Path base;

	private ModelRegistry registry;

	private List<Tensor> inputs;

	private int next;

	private long calls;

	private final AtomicLong evictions = new AtomicLong();

	@Setup(Level.Trial)
	public void setUp() throws Exception {
		this.base = Files.createTempDirectory("eviction-models");
		Path real = this.base.resolve("..model");
		if (this.model.equals("wide")) {
			Files.move(SampleModels.generate(this.base, "wide", "4096,4096"), real);
		}
		else {
			Files.move(SampleModels.extractSample(this.base), real);
		}
		for (String name : EVICTABLE) {
			Files.createSymbolicLink(this.base.resolve(name), real);
		}
		Files.createSymbolicLink(this.base.resolve(RESIDENT), real);
		this.inputs = List.of(SampleModels.tensor(SampleModels.batch(42)));
		long resident;
		long charge = 0;
		try (ModelRegistry probe = builder(Long.MAX_VALUE - 1).build()) {
			probe.start();
			resident = probe.memoryBytes();
			for (int i = 0; i < 3; i++) {
				probe.register("e1");
				charge = Math.max(charge, probe.memoryBytes("e1"));
				probe.unregister("e1");
			}
		}
		long declared = declared(Files.size(latest(real)));
		if (charge != declared) {
			throw new IllegalStateException("A load grew resident memory by more than it declared: charged " + charge
					+ " bytes, declared " + declared);
		}
		// ONNX Runtime's one-time set-up was charged to the probe's first model: from now on every load is charged
		// what it declares, the resident model too
		resident = declared(Files.size(latest(real)));
		long max = resident + charge * 5 / 2;
		ModelRegistry.Builder builder = builder(max).observer(new ModelRegistryObserver() {

			@Override
			public void versionEvent(String model, long version, VersionEvent event) {
				if (event == VersionEvent.EVICT) {
					EvictionBenchmark.this.evictions.incrementAndGet();
				}
			}

		});
		for (String name : EVICTABLE) {
			builder.model(new ModelDefinition(name, this.base.resolve(name).toUri().toString(), VersionPolicy.LATEST,
					HolderStrategy.SHARDED_RCU, LoadMode.LAZY, null, true, true));
		}
		this.registry = builder.build();
		this.registry.start();
		if (this.registry.memoryBytes() != resident) {
			throw new IllegalStateException("The resident model was charged " + this.registry.memoryBytes()
					+ " bytes, not the " + resident + " it declared");
		}
		System.out.printf("%n%s: resident model charged %.1f MB, each evictable one up to %.1f MB, budget %.1f MB%n",
				this.model, resident / 1048576.0, charge / 1048576.0, max / 1048576.0);
	}

	private ModelRegistry.Builder builder(long max) {
		InferenceModelLoader onnx = new OnnxModelLoader(OnnxSessionSettings.DEFAULT);
		return ModelRegistry.builder()
			// Real sessions that declare four times their file (at least 4 MB): each is charged exactly that (the resident growth of a
			// load is below it), so that the budget holds exactly two whatever the allocator reuses
			.modelLoader((name, source) -> new ForwardingInferenceModel(onnx.load(name, source)) {

				@Override
				public long sizeBytes() {
					return declared(super.sizeBytes());
				}

			})
			.basePath(this.base.toUri().toString())
			.memoryMax(max)
			.model(new ModelDefinition(RESIDENT, this.base.resolve(RESIDENT).toUri().toString(), null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER));
	}

	/**
	 * The file of the highest version in a model's folder: the one an unversioned request is served by.
	 */
	private static Path latest(Path model) throws java.io.IOException {
		try (Stream<Path> versions = Files.list(model)) {
			return versions.max(Comparator.comparingLong((path) -> Long.parseLong(path.getFileName().toString())))
				.orElseThrow()
				.resolve("model.onnx");
		}
	}

	/**
	 * What an evictable session declares: four times its file, at least 4 MB, above what its load grows resident
	 * memory by (for the sample model, usually a few hundred KB and once in a few thousand loads 3 MB; 73 MB for
	 * the 67 MB one).
	 */
	private static long declared(long fileBytes) {
		return Math.max(4 * fileBytes, 4 * 1024 * 1024);
	}

	@TearDown(Level.Trial)
	public void tearDown() throws Exception {
		System.out.printf("%n%s: %d evictions in %d calls of evictThenAnswer (%.2f per call, the first two load "
				+ "without one)%n", this.model, this.evictions.get(), this.calls,
				(this.calls > 0) ? (double) this.evictions.get() / this.calls : 0.0);
		this.registry.close();
		try (Stream<Path> paths = Files.walk(this.base)) {
			paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

	@Benchmark
	public void evictThenAnswer(Blackhole blackhole) {
		String name = EVICTABLE[this.next];
		this.next = (this.next + 1) % EVICTABLE.length;
		this.calls++;
		blackhole.consume(this.registry.infer(name, null, this.inputs, List.of()));
	}

	@Benchmark
	public void residentAnswer(Blackhole blackhole) {
		blackhole.consume(this.registry.infer(RESIDENT, null, this.inputs, List.of()));
	}

}
