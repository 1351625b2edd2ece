package io.github.modelregistry.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.holder.HolderState;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The registry on real ONNX Runtime sessions of generated models.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelRegistryTests {

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 2, 4 }, 4, 3, 2, 1, 0, 0, 0, 0));

	@TempDir
	Path base;

	private ModelRegistry registry;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	private ModelRegistry registry(HolderStrategy strategy, LoadMode load, Long version) {
		ModelDefinition definition = new ModelDefinition("scorer", "file:" + this.base.resolve("scorer"), version,
				strategy, load);
		this.registry = TestRegistries.started(TestRegistries.builder().model(definition));
		return this.registry;
	}

	private void writeVersions() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "scorer", 2, TestModels.scorer(4, 1f));
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(HolderStrategy.class)
	void servesTheLatestVersionAndReportsIt(HolderStrategy strategy) {
		writeVersions();
		ModelRegistry registry = registry(strategy, LoadMode.EAGER, null);
		InferenceResult result = registry.infer("scorer", null, FEATURES, List.of());
		assertThat(result.version()).isEqualTo(2);
		assertThat(Arrays.stream(result.outputs().get(0).asDoubles()).boxed()).isNotEmpty()
			.allSatisfy((score) -> assertThat(score).isBetween(0.0, 1.0));
		ModelStatus status = registry.status("scorer");
		assertThat(status.strategy()).isEqualTo(strategy.value());
		assertThat(status.state()).isEqualTo(ModelState.AVAILABLE);
		assertThat(status.version()).isEqualTo(2);
		assertThat(status.availableVersions()).containsExactly(1L, 2L);
		assertThat(status.source()).endsWith("/scorer/2/model.onnx");
		assertThat(registry.metadata("scorer").inputs()).singleElement()
			.satisfies((input) -> assertThat(input.shape()).containsExactly(-1, 4));
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX", "PER_REQUEST" })
	void reloadsToAGivenVersionAndBack(HolderStrategy strategy) {
		writeVersions();
		ModelRegistry registry = registry(strategy, LoadMode.EAGER, null);
		float[] latest = registry.infer("scorer", null, FEATURES, List.of()).outputs().get(0).floats();
		ReloadResult toFirst = registry.reload("scorer", 1);
		assertThat(toFirst.outcome()).isEqualTo(ReloadResult.Outcome.RELOADED);
		assertThat(toFirst.previousVersion()).isEqualTo(2);
		assertThat(toFirst.version()).isEqualTo(1);
		InferenceResult first = registry.infer("scorer", 1L, FEATURES, List.of());
		assertThat(first.version()).isEqualTo(1);
		assertThat(first.outputs().get(0).floats()).isNotEqualTo(latest);
		assertThat(registry.reload("scorer").version()).isEqualTo(2);
		assertThat(registry.infer("scorer", null, FEATURES, List.of()).outputs().get(0).floats()).isEqualTo(latest);
	}

	@Test
	void staticRefusesToReload() {
		writeVersions();
		ModelRegistry registry = registry(HolderStrategy.STATIC, LoadMode.EAGER, 1L);
		ReloadResult result = registry.reload("scorer", 2);
		assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.REFUSED);
		assertThat(result.message()).contains("static");
		assertThat(result.version()).isEqualTo(1);
		assertThat(registry.infer("scorer", null, FEATURES, List.of()).version()).isEqualTo(1);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX", "PER_REQUEST" })
	void aCorruptModelFileFailsTheReloadAndThePreviousVersionKeepsServing(HolderStrategy strategy)
			throws Exception {
		writeVersions();
		ModelRegistry registry = registry(strategy, LoadMode.EAGER, 1L);
		float[] before = registry.infer("scorer", null, FEATURES, List.of()).outputs().get(0).floats();
		byte[] model = TestModels.scorer(4, 2f);
		TestModels.write(this.base, "scorer", 3, Arrays.copyOf(model, model.length / 2));
		ReloadResult result = registry.reload("scorer", 3);
		assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
		assertThat(result.previousVersion()).isEqualTo(1);
		assertThat(result.version()).isEqualTo(1);
		assertThat(result.message()).isNotBlank();
		InferenceResult after = registry.infer("scorer", null, FEATURES, List.of());
		assertThat(after.version()).isEqualTo(1);
		assertThat(after.outputs().get(0).floats()).isEqualTo(before);
		ModelStatus status = registry.status("scorer");
		assertThat(status.version()).isEqualTo(1);
		assertThat(status.lastError()).isEqualTo(result.message());
		// A version that does not exist is reported as not found, naming the versions that do
		ReloadResult missing = registry.reload("scorer", 7);
		assertThat(missing.outcome()).isEqualTo(ReloadResult.Outcome.NOT_FOUND);
		assertThat(missing.message()).contains("Version 7").contains("[1, 2, 3]");
		assertThat(registry.infer("scorer", null, FEATURES, List.of()).version()).isEqualTo(1);
	}

	@Test
	void unknownModelsAndVersionsAreNotFound() {
		writeVersions();
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null);
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> registry.infer("ranker", null, FEATURES, List.of()))
			.withMessage("Unknown model 'ranker'; models served: scorer");
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> registry.infer("scorer", 1L, FEATURES, List.of()))
			.withMessage("Version 1 of model 'scorer' is not served; served: [2]");
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> registry.status("ranker"));
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> registry.reload("ranker"));
	}

	@Test
	void anEagerModelThatCannotLoadFailsTheRegistry() {
		assertThatExceptionOfType(ModelLoadFailedException.class)
			.isThrownBy(() -> registry(HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null))
			.withMessageContaining("Model 'scorer' could not be loaded")
			.withMessageContaining("No version of model 'scorer' found")
			.withMessageContaining("(the location does not exist)");
		this.registry = null;
	}

	@Test
	void statusAndReadinessReadTheListingFromMemory() {
		writeVersions();
		AtomicInteger listings = new AtomicInteger();
		ModelRepository counting = new ModelRepository() {

			@Override
			public NavigableMap<Long, ModelSource> versions(String model, String location) {
				listings.incrementAndGet();
				return super.versions(model, location);
			}

		};
		ModelDefinition definition = TestRegistries.definition(this.base, "scorer", null, HolderStrategy.SHARDED_RCU,
				LoadMode.EAGER);
		ModelRegistry quiet = TestRegistries
			.started(TestRegistries.builder().model(definition).repository(counting).listingInterval(Duration.ofHours(1)));
		try {
			int atStart = listings.get();
			for (int i = 0; i < 100; i++) {
				assertThat(quiet.status("scorer").availableVersions()).containsExactly(1L, 2L);
				assertThat(quiet.ready()).isTrue();
				assertThat(quiet.statuses()).hasSize(1);
			}
			assertThat(listings).as("listings of the location by status and readiness").hasValue(atStart);
		}
		finally {
			quiet.close();
		}
		// The loader thread refreshes the listing: a version dropped in later shows without anyone asking
		this.registry = TestRegistries
			.started(TestRegistries.builder().model(definition).repository(counting).listingInterval(Duration.ofMillis(50)));
		TestModels.write(this.base, "scorer", 3, TestModels.scorer(4, 3f));
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.registry.status("scorer").availableVersions().equals(List.of(1L, 2L, 3L)));
		// Listed, not loaded: without polling, version 2 keeps serving
		assertThat(this.registry.status("scorer").version()).isEqualTo(2);
	}

	@Test
	void buildingLoadsNothingAndStartingLoadsTheEagerModels() {
		ModelDefinition definition = TestRegistries.definition(this.base, "scorer", null, HolderStrategy.SHARDED_RCU,
				LoadMode.EAGER);
		// Nothing to load yet: building must not try
		ModelRegistry unstarted = TestRegistries.builder().model(definition).build();
		assertThat(unstarted.isRunning()).isFalse();
		assertThat(unstarted.status("scorer").state()).isEqualTo(ModelState.EMPTY);
		assertThatExceptionOfType(ModelUnavailableException.class)
			.isThrownBy(() -> unstarted.infer("scorer", null, FEATURES, List.of()))
			.withMessage("The model registry is not started yet");
		writeVersions();
		unstarted.start();
		this.registry = unstarted;
		assertThat(unstarted.isRunning()).isTrue();
		assertThat(unstarted.status("scorer").state()).isEqualTo(ModelState.AVAILABLE);
		// Idempotent: no second load
		unstarted.start();
		assertThat(TestRegistries.holderState(unstarted, "scorer").loads()).isEqualTo(1);
		unstarted.close();
		assertThat(unstarted.isRunning()).isFalse();
		assertThat(unstarted.status("scorer").state()).isEqualTo(ModelState.CLOSED);
		assertThat(unstarted.inferAsync("scorer", null, FEATURES, List.of())).failsWithin(Duration.ofSeconds(5))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(ModelUnavailableException.class)
			.withMessage("The model registry is closed");
	}

	@Test
	void aLazyModelThatCannotLoadIsReportedAndLoadsOnceItCan() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU, LoadMode.LAZY, null);
		ModelStatus status = registry.status("scorer");
		assertThat(status.state()).isEqualTo(ModelState.FAILED);
		assertThat(status.lastError()).contains("No version of model 'scorer' found");
		assertThatExceptionOfType(ModelUnavailableException.class)
			.isThrownBy(() -> registry.infer("scorer", null, FEATURES, List.of()))
			.withMessageContaining("No version of model 'scorer' found");
		writeVersions();
		assertThat(registry.infer("scorer", null, FEATURES, List.of()).version()).isEqualTo(2);
		assertThat(registry.status("scorer").state()).isEqualTo(ModelState.AVAILABLE);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX", "PER_REQUEST" })
	void reloadingBackAndForthWhileEightThreadsInferFailsNoInference(HolderStrategy strategy) throws Exception {
		writeVersions();
		ModelRegistry registry = registry(strategy, LoadMode.EAGER, null);
		int threads = 8;
		CyclicBarrier start = new CyclicBarrier(threads + 1);
		AtomicBoolean done = new AtomicBoolean();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		List<Future<Long>> inferences = new ArrayList<>();
		try {
			for (int i = 0; i < threads; i++) {
				inferences.add(pool.submit(() -> {
					start.await();
					long count = 0;
					do {
						InferenceResult result = registry.infer("scorer", null, FEATURES, List.of());
						assertThat(result.version()).isIn(1L, 2L);
						count++;
					}
					while (!done.get());
					return count;
				}));
			}
			start.await();
			int reloads = (strategy == HolderStrategy.PER_REQUEST) ? 20 : 200;
			for (int i = 0; i < reloads; i++) {
				assertThat(registry.reload("scorer", 1 + (i % 2)).outcome()).isEqualTo(ReloadResult.Outcome.RELOADED);
			}
			done.set(true);
			long total = 0;
			for (Future<Long> inference : inferences) {
				total += inference.get(60, TimeUnit.SECONDS);
			}
			assertThat(total).isGreaterThanOrEqualTo(threads);
		}
		finally {
			done.set(true);
			pool.shutdownNow();
		}
	}

	@Test
	void repeatedReloadsOfARealModelDoNotGrowResidentMemory() throws Exception {
		// A model with 4 MB of weights: a leaked session per cycle would add at least that much, 300 times
		TestModels.write(this.base, "scorer", 1, TestModels.perceptron(40, 25_000, 1));
		TestModels.write(this.base, "scorer", 2, TestModels.perceptron(40, 25_000, 2));
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null);
		List<Tensor> features = List.of(Tensor.ofFloats("features", new long[] { 10, 40 }, new float[400]));
		for (int i = 0; i < 50; i++) {
			cycle(registry, i, features);
		}
		long warm = residentKilobytes();
		int cycles = 300;
		for (int i = 0; i < cycles; i++) {
			cycle(registry, i, features);
		}
		long after = residentKilobytes();
		// Replaced versions close on the retirer thread once drained: wait for the last one
		await().atMost(Duration.ofSeconds(30)).until(() -> {
			HolderState state = TestRegistries.holderState(registry, "scorer");
			return state.retired() == state.publishes() - 1;
		});
		System.out.printf("RSS after warm-up %d MB, after %d more reloads %d MB (growth %d MB)%n", warm / 1024,
				cycles, after / 1024, (after - warm) / 1024);
		// Leaking every session would add over 1.2 GB; the bound leaves room for allocator noise only
		assertThat(after - warm).as("resident memory growth in kB").isLessThan(96 * 1024);
	}

	private static void cycle(ModelRegistry registry, int i, List<Tensor> features) {
		assertThat(registry.reload("scorer", 1 + (i % 2)).outcome()).isEqualTo(ReloadResult.Outcome.RELOADED);
		assertThat(registry.infer("scorer", null, features, List.of()).outputs()).hasSize(1);
	}

	static long residentKilobytes() throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		throw new IllegalStateException("no VmRSS in /proc/self/status");
	}

	@Test
	void aLazyModelThatCannotLoadTellsCallersWhichFolderIsWrongButNotWhereTheServerKeepsIt() throws Exception {
		java.nio.file.Files.createDirectories(this.base.resolve("corrupt/1"));
		java.nio.file.Files.write(this.base.resolve("corrupt/1/model.onnx"), new byte[] { 1, 2, 3 });
		this.registry = TestRegistries.started(TestRegistries.builder()
			.model(TestRegistries.definition(this.base, "corrupt", null, HolderStrategy.SHARDED_RCU, LoadMode.LAZY))
			.model(TestRegistries.definition(this.base, "missing", null, HolderStrategy.SHARDED_RCU, LoadMode.LAZY)));
		List<Tensor> inputs = List.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 1f, 2f, 3f, 4f));
		java.util.Map<String, String> folders = java.util.Map.of("corrupt", "corrupt/1/model.onnx", "missing",
				"missing/<version>/model.onnx");
		for (String model : List.of("corrupt", "missing")) {
			assertThatExceptionOfType(ModelUnavailableException.class)
				.isThrownBy(() -> this.registry.infer(model, null, inputs, List.of()))
				.withMessageStartingWith("Model '" + model + "' is not available: ")
				.withMessageNotContaining(this.base.toString())
				.withMessageContaining(folders.get(model));
			// Operators still see where
			assertThat(this.registry.status(model).lastError()).contains(this.base.toString());
		}
	}

}
