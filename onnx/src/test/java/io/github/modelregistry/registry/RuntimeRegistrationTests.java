package io.github.modelregistry.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Models registered and unregistered while the registry serves others: {@link ModelRegistry#register(String)},
 * {@link ModelRegistry#register(ModelDefinition)} and {@link ModelRegistry#unregister(String)}, on real ONNX Runtime
 * sessions, every session counted open and closed.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class RuntimeRegistrationTests {

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 2, 4 }, 4, 3, 2, 1, 0, 0, 0, 0));

	@TempDir
	Path base;

	private final Sessions sessions = new Sessions();

	private ModelRegistry registry;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
		// Whatever a test did, closing the registry closes every session it opened
		assertThat(this.sessions.open()).isZero();
	}

	private ModelRegistry registry(HolderStrategy strategy) {
		TestModels.write(this.base, "resident", 1, TestModels.scorer(4, 0f));
		this.registry = TestRegistries.started(ModelRegistry.builder()
			.modelLoader(this.sessions)
			.basePath("file:" + this.base)
			.defaultStrategy(strategy)
			.model(new ModelDefinition("resident", "file:" + this.base.resolve("resident"), null, strategy,
					LoadMode.EAGER)));
		return this.registry;
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(HolderStrategy.class)
	void registersByNameServesThenUnregistersToA404(HolderStrategy strategy) {
		ModelRegistry registry = registry(strategy);
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "guest", 2, TestModels.scorer(4, 1f));
		ModelStatus status = registry.register("guest");
		assertThat(status.state()).isEqualTo(ModelState.AVAILABLE);
		assertThat(status.strategy()).isEqualTo(strategy.value());
		assertThat(registry.names()).containsExactly("resident", "guest");
		assertThat(registry.infer("guest", null, FEATURES, List.of()).version()).isEqualTo(2);
		assertThat(registry.inferAsync("guest", null, FEATURES, List.of()).join().version()).isEqualTo(2);
		registry.unregister("guest");
		assertThat(registry.names()).containsExactly("resident");
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> registry.infer("guest", null, FEATURES, List.of()))
			.withMessageContaining("Unknown model 'guest'");
		assertThat(registry.inferAsync("guest", null, FEATURES, List.of())).failsWithin(10, TimeUnit.SECONDS)
			.withThrowableThat()
			.withCauseInstanceOf(ModelNotFoundException.class);
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> registry.status("guest"));
		assertThat(this.sessions.open("guest")).isZero();
		assertThat(this.sessions.opened("guest")).isPositive();
		assertThat(registry.infer("resident", null, FEATURES, List.of()).version()).isEqualTo(1);
	}

	@Test
	void aNameCanBeRegisteredAgainAfterItWasUnregistered() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		registry.register("guest");
		registry.unregister("guest");
		TestModels.write(this.base, "guest", 2, TestModels.scorer(4, 1f));
		assertThat(registry.register("guest").version()).isEqualTo(2);
		assertThat(registry.infer("guest", null, FEATURES, List.of()).version()).isEqualTo(2);
	}

	@Test
	void registersADefinitionWithItsOwnStrategyAndLoadMode() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		TestModels.write(this.base, "guest", 3, TestModels.scorer(4, 0f));
		ModelStatus status = registry.register(new ModelDefinition("guest", "file:" + this.base.resolve("guest"), null,
				HolderStrategy.RWLOCK, LoadMode.LAZY));
		assertThat(status.strategy()).isEqualTo("rwlock");
		assertThat(this.sessions.opened("guest")).isZero();
		assertThat(registry.infer("guest", null, FEATURES, List.of()).version()).isEqualTo(3);
		assertThat(this.sessions.opened("guest")).isEqualTo(1);
	}

	@Test
	void registersAModelBuiltInCodeAndClosesItWhenUnregistered() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		TestModels.write(this.base, "source", 1, TestModels.scorer(4, 0f));
		InferenceModel model;
		try {
			model = this.sessions.load("in-code",
					ModelSource.ofFile("in-code", 1, this.base.resolve("source/1/model.onnx")));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		registry.register(model, HolderStrategy.PER_REQUEST);
		for (int i = 0; i < 3; i++) {
			assertThat(registry.infer("in-code", null, FEATURES, List.of()).version()).isEqualTo(1);
		}
		assertThat(this.sessions.open("in-code")).isEqualTo(1);
		registry.unregister("in-code");
		assertThat(this.sessions.open("in-code")).isZero();
	}

	@Test
	void refusesANameServedAlreadyAndChangesNothing() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		assertThatExceptionOfType(ModelAlreadyRegisteredException.class).isThrownBy(() -> registry.register("resident"))
			.withMessageContaining("'resident' is already registered")
			.satisfies((ex) -> assertThat(ex.isClientFault()).isTrue());
		assertThat(this.sessions.opened("resident")).isEqualTo(1);
		assertThat(registry.infer("resident", null, FEATURES, List.of()).version()).isEqualTo(1);
	}

	@Test
	void ofConcurrentRegistrationsOfOneNameExactlyOneWins() throws Exception {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		int callers = 8;
		CyclicBarrier start = new CyclicBarrier(callers);
		ExecutorService threads = Executors.newFixedThreadPool(callers);
		try {
			List<Future<Boolean>> outcomes = new ArrayList<>();
			for (int i = 0; i < callers; i++) {
				outcomes.add(threads.submit(() -> {
					start.await(30, TimeUnit.SECONDS);
					try {
						registry.register("guest");
						return true;
					}
					catch (ModelAlreadyRegisteredException ex) {
						return false;
					}
				}));
			}
			int won = 0;
			for (Future<Boolean> outcome : outcomes) {
				won += outcome.get(60, TimeUnit.SECONDS) ? 1 : 0;
			}
			assertThat(won).isEqualTo(1);
		}
		finally {
			threads.shutdownNow();
		}
		assertThat(registry.names()).containsExactly("resident", "guest");
		// The losers were refused before they loaded anything
		assertThat(this.sessions.opened("guest")).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "..", "../resident", "%2e%2e", "%2e%2e%2fresident", "/etc", "a/b", "a\\b", ".hidden",
			"", " ", "name with spaces", "nul\u0000byte" })
	void refusesNamesThatAreNotFolderNamesInsideTheBase(String name) {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		assertThatExceptionOfType(InvalidModelNameException.class).isThrownBy(() -> registry.register(name))
			.satisfies((ex) -> assertThat(ex.isClientFault()).isTrue());
		assertThat(registry.names()).containsExactly("resident");
		assertThat(this.sessions.opened()).isEqualTo(1);
	}

	@Test
	void refusesAFolderThatALinkTakesOutsideTheBase(@TempDir Path outside) throws Exception {
		TestModels.write(outside, "secret", 1, TestModels.scorer(4, 0f));
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		Files.createSymbolicLink(this.base.resolve("linked"), outside.resolve("secret"));
		assertThatExceptionOfType(InvalidModelNameException.class).isThrownBy(() -> registry.register("linked"))
			.withMessageContaining("outside the base path");
		assertThat(registry.names()).containsExactly("resident");
		assertThat(this.sessions.opened("linked")).isZero();
	}

	@Test
	void aLinkInsideTheBaseIsAFolderInsideIt() throws Exception {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		TestModels.write(this.base, "..2026_12_02", 1, TestModels.scorer(4, 0f));
		// How a Kubernetes volume lays out its files: a link to a dated folder beside it
		Files.createSymbolicLink(this.base.resolve("current"), this.base.resolve("..2026_12_02"));
		assertThat(registry.register("current").version()).isEqualTo(1);
	}

	@Test
	void aFolderWithNothingToLoadIsRefusedAndTheNameStaysFree() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		assertThatExceptionOfType(ModelLoadFailedException.class).isThrownBy(() -> registry.register("missing"))
			.withMessageContaining("'missing'");
		assertThat(registry.names()).containsExactly("resident");
		TestModels.write(this.base, "missing", 1, TestModels.scorer(4, 0f));
		assertThat(registry.register("missing").version()).isEqualTo(1);
	}

	@Test
	void unregisteringAnUnknownModelIsANotFound() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> registry.unregister("guest"))
			.withMessageContaining("models served: resident");
	}

	@Test
	void aRegistryNotStartedOrClosedRegistersNothing() {
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		ModelRegistry notStarted = ModelRegistry.builder().modelLoader(this.sessions).basePath("file:" + this.base)
			.build();
		assertThatExceptionOfType(ModelUnavailableException.class).isThrownBy(() -> notStarted.register("guest"))
			.withMessageContaining("not started yet");
		notStarted.start();
		notStarted.close();
		assertThatExceptionOfType(ModelUnavailableException.class).isThrownBy(() -> notStarted.register("guest"))
			.withMessageContaining("closed");
		assertThat(this.sessions.opened()).isZero();
	}

	@Test
	void withoutABasePathNamesCannotBeRegistered() {
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		this.registry = TestRegistries.started(ModelRegistry.builder().modelLoader(this.sessions));
		assertThatExceptionOfType(InvalidModelNameException.class).isThrownBy(() -> this.registry.register("guest"))
			.withMessageContaining("no base path");
	}

	@Test
	void unregisteringWaitsForTheRequestInsideAndRefusesNewOnes() throws Exception {
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		AtomicBoolean hold = new AtomicBoolean();
		BehavingModels behaving = new BehavingModels(this.sessions).on("guest", (model, inputs) -> {
			// Not during the warm-up of register: only the request this test sends is held
			if (hold.get()) {
				inside.countDown();
				assertThat(release.await(60, TimeUnit.SECONDS)).isTrue();
			}
		});
		this.registry = TestRegistries.started(ModelRegistry.builder().modelLoader(behaving).basePath("file:" + this.base));
		ModelRegistry registry = this.registry;
		registry.register("guest");
		hold.set(true);
		CompletableFuture<InferenceResult> running = registry.inferAsync("guest", null, FEATURES, List.of());
		assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
		CompletableFuture<Void> unregistering = CompletableFuture.runAsync(() -> registry.unregister("guest"));
		await().atMost(30, TimeUnit.SECONDS).until(() -> !registry.names().contains("guest"));
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> registry.infer("guest", null, FEATURES, List.of()));
		// The request inside holds the model open: unregistering cannot have finished
		assertThat(unregistering).isNotDone();
		assertThat(this.sessions.open("guest")).isEqualTo(1);
		release.countDown();
		assertThat(running.get(30, TimeUnit.SECONDS).version()).isEqualTo(1);
		unregistering.get(30, TimeUnit.SECONDS);
		assertThat(this.sessions.open("guest")).isZero();
	}

	/**
	 * Eight threads read the resident model while two more read a guest that is registered and unregistered over and
	 * over: the resident's requests never fail, the guest's succeed or get a clean not-found, and every session the
	 * guest opened is closed.
	 */
	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "PER_REQUEST" })
	void registrationsUnderEightReadersOfAnotherModel(HolderStrategy strategy) throws Exception {
		ModelRegistry registry = registry(strategy);
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		int readers = 8;
		int guestReaders = 2;
		AtomicBoolean stop = new AtomicBoolean();
		AtomicLong residentAnswers = new AtomicLong();
		AtomicLong guestAnswers = new AtomicLong();
		AtomicLong guestNotFound = new AtomicLong();
		Map<String, AtomicInteger> unexpected = new ConcurrentHashMap<>();
		ExecutorService threads = Executors.newFixedThreadPool(readers + guestReaders);
		List<Future<?>> running = new ArrayList<>();
		try {
			for (int i = 0; i < readers; i++) {
				boolean async = i % 2 == 0;
				running.add(threads.submit(() -> {
					while (!stop.get()) {
						try {
							InferenceResult result = async
									? registry.inferAsync("resident", null, FEATURES, List.of()).join()
									: registry.infer("resident", null, FEATURES, List.of());
							assertThat(result.version()).isEqualTo(1);
							residentAnswers.incrementAndGet();
						}
						catch (RuntimeException ex) {
							unexpected.computeIfAbsent("resident: " + ex, (key) -> new AtomicInteger()).incrementAndGet();
						}
					}
				}));
			}
			for (int i = 0; i < guestReaders; i++) {
				running.add(threads.submit(() -> {
					while (!stop.get()) {
						try {
							registry.infer("guest", null, FEATURES, List.of());
							guestAnswers.incrementAndGet();
						}
						catch (ModelNotFoundException ex) {
							guestNotFound.incrementAndGet();
						}
						catch (RuntimeException ex) {
							unexpected.computeIfAbsent("guest: " + ex, (key) -> new AtomicInteger()).incrementAndGet();
						}
					}
				}));
			}
			for (int cycle = 0; cycle < 60; cycle++) {
				registry.register("guest");
				long before = guestAnswers.get();
				await().atMost(30, TimeUnit.SECONDS).until(() -> guestAnswers.get() > before);
				registry.unregister("guest");
				assertThat(this.sessions.open("guest")).isZero();
			}
		}
		finally {
			stop.set(true);
			for (Future<?> reader : running) {
				reader.get(60, TimeUnit.SECONDS);
			}
			threads.shutdownNow();
		}
		assertThat(unexpected).isEmpty();
		assertThat(residentAnswers.get()).isPositive();
		assertThat(guestAnswers.get()).isGreaterThanOrEqualTo(60);
		assertThat(guestNotFound.get()).isPositive();
		assertThat(this.sessions.open("guest")).isZero();
		assertThat(this.sessions.opened("guest")).isGreaterThanOrEqualTo(60);
	}

	@Test
	void registerLoadUnregisterCyclesDoNotGrowResidentMemory() throws Exception {
		// A model with 4 MB of weights: a session leaked per cycle would add at least that much, 300 times
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		TestModels.write(this.base, "guest", 1, TestModels.perceptron(40, 25_000, 1));
		List<Tensor> features = List.of(Tensor.ofFloats("features", new long[] { 10, 40 }, new float[400]));
		for (int i = 0; i < 50; i++) {
			cycle(registry, features);
		}
		long warm = ModelRegistryTests.residentKilobytes();
		int cycles = 300;
		for (int i = 0; i < cycles; i++) {
			cycle(registry, features);
		}
		long after = ModelRegistryTests.residentKilobytes();
		System.out.printf("RSS after warm-up %d MB, after %d more register-infer-unregister cycles %d MB (growth %d MB)%n",
				warm / 1024, cycles, after / 1024, (after - warm) / 1024);
		assertThat(this.sessions.open("guest")).isZero();
		assertThat(this.sessions.opened("guest")).isEqualTo(350);
		// Leaking every session would add over 1.2 GB; the bound leaves room for allocator noise only
		assertThat(after - warm).as("resident memory growth in kB").isLessThan(96 * 1024);
	}

	@Test
	void eachLoadedVersionIsChargedAtLeastItsFileAndTheChargeGoesWithIt() throws Exception {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU);
		Path file = TestModels.write(this.base, "guest", 1, TestModels.perceptron(40, 25_000, 1));
		long size = Files.size(file);
		ModelStatus status = registry.register("guest");
		assertThat(status.memoryBytes()).isEqualTo(registry.memoryBytes("guest"))
			.isGreaterThanOrEqualTo(size)
			// A charge far above the weights would be other memory counted against this model
			.isLessThan(size + 256L * 1024 * 1024);
		assertThat(registry.memoryBytes("resident")).isGreaterThan(0);
		registry.unregister("guest");
		assertThatExceptionOfType(ModelNotFoundException.class).isThrownBy(() -> registry.memoryBytes("guest"));
	}

	private static void cycle(ModelRegistry registry, List<Tensor> features) {
		registry.register("guest");
		assertThat(registry.infer("guest", null, features, List.of()).outputs()).hasSize(1);
		registry.unregister("guest");
	}

	/**
	 * Loads through ONNX Runtime and counts, per model, the sessions opened and closed.
	 */
	static final class Sessions implements InferenceModelLoader {

		private final InferenceModelLoader onnx = new OnnxModelLoader(OnnxSessionSettings.DEFAULT);

		private final Map<String, AtomicInteger> opened = new ConcurrentHashMap<>();

		private final Map<String, AtomicInteger> closed = new ConcurrentHashMap<>();

		@Override
		public InferenceModel load(String model, ModelSource source) throws Exception {
			InferenceModel loaded = this.onnx.load(model, source);
			this.opened.computeIfAbsent(model, (name) -> new AtomicInteger()).incrementAndGet();
			return new ForwardingInferenceModel(loaded) {

				private final AtomicBoolean done = new AtomicBoolean();

				@Override
				public void close() throws Exception {
					super.close();
					if (this.done.compareAndSet(false, true)) {
						Sessions.this.closed.computeIfAbsent(model, (name) -> new AtomicInteger()).incrementAndGet();
					}
				}

			};
		}

		int opened(String model) {
			AtomicInteger count = this.opened.get(model);
			return (count != null) ? count.get() : 0;
		}

		int opened() {
			return this.opened.values().stream().mapToInt(AtomicInteger::get).sum();
		}

		int open(String model) {
			AtomicInteger closed = this.closed.get(model);
			return opened(model) - ((closed != null) ? closed.get() : 0);
		}

		int open() {
			return this.opened.keySet().stream().mapToInt(this::open).sum();
		}

	}

}
