package io.github.modelregistry.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.modelregistry.resilience4j.Resilience4jProtection;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistryObserver.VersionEvent;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import org.jspecify.annotations.Nullable;
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
 * Least-recently-used eviction under the memory budget, on real ONNX Runtime sessions, every session counted open
 * and closed. Each session here declares 64 MB ({@link Declared}): a version is charged at least its declared size,
 * and a small session grows the process by far less, so every charge is exactly 64 MB and a budget of 160 MB holds
 * two versions, never three, whatever else the process does meanwhile.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class EvictionTests {

	private static final long MB = 1024 * 1024;

	private static final long DECLARED = 64 * MB;

	/** What the model named {@code huge} declares. */
	private static final long HUGE = 100 * MB;

	/** Two versions of 64 MB fit, three do not. */
	private static final long TWO_MODELS = 160 * MB;

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 2, 4 }, 4, 3, 2, 1, 0, 0, 0, 0));

	/** Opens after two failures in a row. */
	private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
		.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
		.slidingWindowSize(2)
		.minimumNumberOfCalls(2)
		.failureRateThreshold(50)
		.waitDurationInOpenState(Duration.ofHours(1))
		.build());

	@TempDir
	Path base;

	private final Declared sessions = new Declared();

	private final Events events = new Events();

	private ModelRegistry registry;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
			assertThat(this.registry.memoryBytes()).as("charges left after close").isZero();
		}
		assertThat(this.sessions.open()).as("sessions left open").isZero();
	}

	/**
	 * A registry on the counted sessions, under a budget, its version events recorded.
	 */
	private ModelRegistry.Builder builder(long max) {
		return ModelRegistry.builder()
			.modelLoader(this.sessions)
			.basePath("file:" + this.base)
			.memoryMax(max)
			// Enough threads that requests held inside two models leave room for a third
			.inferenceThreads(4)
			.observer(this.events);
	}

	private ModelRegistry registry(HolderStrategy strategy, String... evictable) {
		ModelRegistry.Builder builder = builder(TWO_MODELS);
		for (String name : evictable) {
			TestModels.write(this.base, name, 1, TestModels.scorer(4, 0f));
			builder.model(evictable(name, strategy));
		}
		this.registry = TestRegistries.started(builder);
		return this.registry;
	}

	private ModelDefinition evictable(String name, HolderStrategy strategy) {
		return new ModelDefinition(name, "file:" + this.base.resolve(name), VersionPolicy.LATEST, strategy, LoadMode.LAZY, null, true,
				true);
	}

	private long infer(String model) {
		return this.registry.infer(model, null, FEATURES, List.of()).version();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX" })
	void aBudgetOfTwoModelsWithThreeInUseUnloadsTheLeastRecentlyUsed(HolderStrategy strategy) {
		registry(strategy, "a", "b", "c");
		assertThat(this.registry.memoryBytes()).as("lazy models load on first use").isZero();
		infer("a");
		infer("b");
		infer("a");
		assertThat(this.sessions.openNames()).containsExactlyInAnyOrder("a", "b");
		// c needs room: b was used less recently than a
		assertThat(infer("c")).isEqualTo(1);
		assertThat(this.sessions.openNames()).containsExactlyInAnyOrder("a", "c");
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("b");
		assertThat(this.registry.status("b").state()).isEqualTo(ModelState.EMPTY);
		assertThat(this.registry.memoryBytes("b")).isZero();
		assertThat(this.registry.memoryBytes()).isEqualTo(2 * DECLARED);
		// b's next request loads it again, making room from a, now the least recently used
		assertThat(infer("b")).isEqualTo(1);
		assertThat(this.sessions.openNames()).containsExactlyInAnyOrder("c", "b");
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("b", "a");
		assertThat(this.sessions.opened("b")).isEqualTo(2);
		assertThat(this.registry.status("b").counters().loads()).isEqualTo(2);
		assertThat(this.registry.memoryBytes()).isEqualTo(2 * DECLARED);
		// Evictions leave readiness alone: lazy models never hold it
		assertThat(this.registry.ready()).isTrue();
	}

	@Test
	void aModelWithARequestInsideIsPassedOverForAnIdleOneEvenIfItWasUsedLessRecently() throws Exception {
		registry(HolderStrategy.SHARDED_RCU, "a", "b", "c");
		// Loaded (and warmed up) first, so that the run held below is a request's
		infer("a");
		this.sessions.blockNextRunOf("a");
		ExecutorService caller = Executors.newSingleThreadExecutor();
		try {
			Future<Long> inside = caller.submit(() -> infer("a"));
			assertThat(this.sessions.awaitBlocked()).isTrue();
			infer("b");
			// a was used first and has a request inside: b, used later but idle, makes room
			infer("c");
			assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("b");
			this.sessions.release();
			assertThat(inside.get(30, TimeUnit.SECONDS)).isEqualTo(1);
		}
		finally {
			this.sessions.release();
			caller.shutdownNow();
		}
		assertThat(this.sessions.openNames()).containsExactlyInAnyOrder("a", "c");
	}

	@Test
	void whenEveryEvictableModelIsBusyTheLeastRecentlyUsedIsUnloadedOnceItsRequestLeaves() throws Exception {
		registry(HolderStrategy.SHARDED_RCU, "a", "b", "c");
		// Loaded (and warmed up) first, so that the runs held below are requests'
		infer("a");
		infer("b");
		this.sessions.blockNextRunOf("a");
		ExecutorService callers = Executors.newFixedThreadPool(2);
		try {
			Future<Long> inside = callers.submit(() -> infer("a"));
			assertThat(this.sessions.awaitBlocked()).isTrue();
			this.sessions.blockNextRunOf("b");
			Future<Long> insideB = callers.submit(() -> infer("b"));
			assertThat(this.sessions.awaitBlocked()).isTrue();
			// Both are busy: a was used less recently than b, so c's load waits for a's request to leave
			AtomicReference<@Nullable Long> answered = new AtomicReference<>();
			Thread loadingC = new Thread(() -> answered.set(infer("c")), "loads-c");
			loadingC.start();
			// a is taken out of service at once, and closes only once its request has left
			await().atMost(30, TimeUnit.SECONDS)
				.until(() -> this.registry.status("a").state() == ModelState.EMPTY);
			assertThat(this.registry.status("a").counters().retiring()).as("the version draining").isEqualTo(1);
			assertThat(answered.get()).as("c waits while a's request is inside").isNull();
			assertThat(this.sessions.closing("a")).isFalse();
			assertThat(this.sessions.open("a")).isEqualTo(1);
			this.sessions.release();
			loadingC.join(TimeUnit.SECONDS.toMillis(30));
			assertThat(answered.get()).isEqualTo(1);
			assertThat(inside.get(30, TimeUnit.SECONDS)).as("the request inside a finished on it").isEqualTo(1);
			assertThat(insideB.get(30, TimeUnit.SECONDS)).isEqualTo(1);
		}
		finally {
			this.sessions.release();
			callers.shutdownNow();
		}
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("a");
		assertThat(this.sessions.openNames()).containsExactlyInAnyOrder("b", "c");
	}

	@Test
	void eagerModelsAreNeverEvictedAndALoadThatCannotMakeRoomIsRefusedWithoutCountingAgainstTheModel() {
		TestModels.write(this.base, "eager1", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "eager2", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "lazy", 1, TestModels.scorer(4, 0f));
		this.registry = TestRegistries.started(builder(TWO_MODELS)
			.protection(new Resilience4jProtection(null, null, this.circuitBreakers))
			.model(TestRegistries.definition(this.base, "eager1", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.model(TestRegistries.definition(this.base, "eager2", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.model(evictable("lazy", HolderStrategy.SHARDED_RCU)));
		for (int i = 0; i < 5; i++) {
			assertThatExceptionOfType(ModelUnavailableException.class).isThrownBy(() -> infer("lazy"))
				.withMessageContaining("Model 'lazy' is not available")
				.withMessageContaining("model-registry.memory.max");
		}
		assertThat(this.sessions.opened("lazy")).as("each attempt loaded, measured and closed it again")
			.isEqualTo(5);
		assertThat(this.events.of(VersionEvent.REFUSE)).containsOnly("lazy").hasSize(5);
		assertThat(this.events.of(VersionEvent.EVICT)).isEmpty();
		assertThat(this.circuitBreakers.circuitBreaker("lazy").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(infer("eager1")).isEqualTo(1);
		assertThat(infer("eager2")).isEqualTo(1);
		assertThat(this.registry.memoryBytes()).isEqualTo(2 * DECLARED);
		// Five refusals did not open lazy's circuit: once there is room, its next request is answered
		this.registry.unregister("eager2");
		assertThat(infer("lazy")).isEqualTo(1);
	}

	@Test
	void eagerModelsThatDoNotFitFailTheStartNamingTheModelAndCloseWhatLoaded() {
		for (String name : List.of("first", "second")) {
			TestModels.write(this.base, name, 1, TestModels.scorer(4, 0f));
		}
		ModelRegistry registry = ModelRegistry.builder()
			.modelLoader(this.sessions)
			.memoryMax(100 * MB)
			.model(TestRegistries.definition(this.base, "first", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.model(TestRegistries.definition(this.base, "second", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.build();
		assertThatExceptionOfType(ModelLoadFailedException.class).isThrownBy(registry::start)
			.withMessageContaining("second")
			.withMessageContaining("Model 'second' version 1 took 64.0 MB of native memory to load")
			.withMessageContaining("model-registry.memory.max");
		assertThat(this.sessions.open()).isZero();
		assertThat(registry.memoryBytes()).isZero();
	}

	@Test
	void aLoadThatCouldNotFitEvenIfEveryEvictableModelWereUnloadedUnloadsNone() {
		TestModels.write(this.base, "eager1", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "a", 1, TestModels.scorer(4, 0f));
		this.registry = TestRegistries.started(builder(TWO_MODELS)
			.model(TestRegistries.definition(this.base, "eager1", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.model(evictable("a", HolderStrategy.SHARDED_RCU)));
		infer("a");
		// 64 MB that can never be unloaded and 100 MB more pass 160 MB: unloading a would not help, so a stays
		TestModels.write(this.base, "huge", 1, TestModels.scorer(4, 0f));
		assertThatExceptionOfType(ModelMemoryExceededException.class).isThrownBy(() -> this.registry.register("huge"))
			.withMessageContaining("Model 'huge' version 1 took 100.0 MB of native memory to load");
		assertThat(this.events.of(VersionEvent.EVICT)).isEmpty();
		assertThat(this.sessions.openNames()).containsExactlyInAnyOrder("eager1", "a");
		assertThat(this.sessions.open("huge")).isZero();
		assertThat(infer("a")).isEqualTo(1);
	}

	@Test
	void aVersionThatTakesMoreThanItsFileOnceLoadedIsRefusedAndClosed() {
		TestModels.write(this.base, "resident", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 1f));
		this.registry = TestRegistries.started(builder(100 * MB)
			.model(TestRegistries.definition(this.base, "resident", null, HolderStrategy.SHARDED_RCU,
					LoadMode.EAGER)));
		// Its file (a few hundred bytes) fits; what it took to load (64 MB) does not
		assertThatExceptionOfType(ModelMemoryExceededException.class).isThrownBy(() -> this.registry.register("guest"))
			.withMessage("Model 'guest' version 1 took 64.0 MB of native memory to load, and the models loaded are "
					+ "charged 64.0 MB of the budget of 100.0 MB (model-registry.memory.max) with none that can be "
					+ "unloaded: unload a model or raise the budget");
		assertThat(this.sessions.opened("guest")).isEqualTo(1);
		assertThat(this.sessions.open("guest")).isZero();
		assertThat(this.registry.names()).containsExactly("resident");
		assertThat(this.registry.memoryBytes()).isEqualTo(DECLARED);
		assertThat(this.events.of(VersionEvent.REFUSE)).containsExactly("guest");
	}

	@Test
	void aPollLeavesAnEvictedModelUnloadedAndANewVersionIsWhatItsNextRequestLoads() {
		registry(HolderStrategy.SHARDED_RCU, "b", "c");
		TestModels.write(this.base, "a", 1, TestModels.scorer(4, 0f));
		// Polled by hand below (registry.poll): the interval only makes it a polled model
		this.registry.register(new ModelDefinition("a", "file:" + this.base.resolve("a"), VersionPolicy.LATEST,
				HolderStrategy.SHARDED_RCU, LoadMode.LAZY, Duration.ofHours(1), true, true));
		infer("a");
		infer("b");
		infer("c");
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("a");
		this.registry.poll("a");
		assertThat(this.sessions.open("a")).as("a poll does not take the room back").isZero();
		TestModels.write(this.base, "a", 2, TestModels.scorer(4, 1f));
		// Two scans to see the new version settle
		this.registry.poll("a");
		this.registry.poll("a");
		assertThat(this.sessions.open("a")).isZero();
		assertThat(this.sessions.opened("a")).isEqualTo(1);
		assertThat(infer("a")).as("the version wanted now").isEqualTo(2);
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("a", "b");
		// Loaded again, the model is polled as any other: nothing more to load
		this.registry.poll("a");
		assertThat(this.sessions.opened("a")).isEqualTo(2);
	}

	@Test
	void unregisteringAnEvictedModelClosesNothingTwiceAndItsNameCanComeBack() {
		registry(HolderStrategy.SHARDED_RCU, "a", "b", "c");
		infer("a");
		infer("b");
		infer("c");
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("a");
		this.registry.unregister("a");
		assertThat(this.sessions.open("a")).isZero();
		assertThat(this.sessions.opened("a")).isEqualTo(1);
		this.registry.register(evictable("a", HolderStrategy.SHARDED_RCU));
		assertThat(infer("a")).isEqualTo(1);
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("a", "b");
	}

	@Test
	void evictionCyclesOfA4MbModelDoNotGrowResidentMemory() throws Exception {
		// Three models with 4 MB of weights each, asked for in turn in a budget of two: every request evicts one
		TestModels.write(this.base, "a", 1, TestModels.perceptron(40, 25_000, 1));
		TestModels.write(this.base, "b", 1, TestModels.perceptron(40, 25_000, 2));
		TestModels.write(this.base, "c", 1, TestModels.perceptron(40, 25_000, 3));
		this.registry = TestRegistries.started(builder(TWO_MODELS)
			.model(evictable("a", HolderStrategy.SHARDED_RCU))
			.model(evictable("b", HolderStrategy.SHARDED_RCU))
			.model(evictable("c", HolderStrategy.SHARDED_RCU)));
		List<Tensor> features = List.of(Tensor.ofFloats("features", new long[] { 10, 40 }, new float[400]));
		String[] names = { "a", "b", "c" };
		for (int i = 0; i < 60; i++) {
			this.registry.infer(names[i % 3], null, features, List.of());
		}
		long warm = ModelRegistryTests.residentKilobytes();
		int evictionsBefore = this.events.of(VersionEvent.EVICT).size();
		for (int i = 0; i < 300; i++) {
			assertThat(this.registry.infer(names[i % 3], null, features, List.of()).outputs()).hasSize(1);
		}
		long after = ModelRegistryTests.residentKilobytes();
		int evictions = this.events.of(VersionEvent.EVICT).size() - evictionsBefore;
		System.out.printf("RSS after warm-up %d MB, after %d more evictions %d MB (growth %d MB)%n", warm / 1024,
				evictions, after / 1024, (after - warm) / 1024);
		assertThat(evictions).isEqualTo(300);
		assertThat(this.sessions.open()).isEqualTo(2);
		// Leaking every evicted session would add over 1.2 GB; the bound leaves room for allocator noise only
		assertThat(after - warm).as("resident memory growth in kB").isLessThan(96 * 1024);
	}

	@Test
	void aModelRegisteredByNameAsEvictableIsLoadedBeforeItServesAndUnloadedToMakeRoom() {
		registry(HolderStrategy.SHARDED_RCU, "a", "b");
		infer("a");
		infer("b");
		TestModels.write(this.base, "tenant", 1, TestModels.scorer(4, 0f));
		ModelStatus status = this.registry.register("tenant", true);
		// Loaded now, making room from a, the least recently used
		assertThat(status.state()).isEqualTo(ModelState.AVAILABLE);
		assertThat(status.load()).isEqualTo(LoadMode.LAZY);
		assertThat(status.evictable()).isTrue();
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("a");
		assertThat(infer("a")).isEqualTo(1);
		assertThat(this.events.of(VersionEvent.EVICT)).containsExactly("a", "b");
		assertThat(infer("tenant")).isEqualTo(1);
		assertThat(this.registry.memoryBytes()).isEqualTo(2 * DECLARED);
	}

	@Test
	void anEvictableRegistrationThatCannotLoadChangesNothing() {
		registry(HolderStrategy.SHARDED_RCU, "a");
		infer("a");
		TestModels.write(this.base, "broken", 1, new byte[] { 1, 2, 3 });
		assertThatExceptionOfType(ModelLoadFailedException.class)
			.isThrownBy(() -> this.registry.register("broken", true));
		assertThat(this.registry.names()).containsExactly("a");
		assertThat(this.sessions.openNames()).containsExactly("a");
		assertThat(this.events.of(VersionEvent.EVICT)).isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "STATIC", "PER_REQUEST" })
	void anEvictableRegistrationUnderAStrategyThatNeverUnloadsIsRefusedUnread(HolderStrategy strategy) {
		this.registry = TestRegistries.started(builder(TWO_MODELS).defaultStrategy(strategy));
		TestModels.write(this.base, "tenant", 1, TestModels.scorer(4, 0f));
		assertThatExceptionOfType(InvalidRegistrationException.class)
			.isThrownBy(() -> this.registry.register("tenant", true))
			.withMessageContaining("Model 'tenant' is evictable but uses the " + strategy.value() + " strategy")
			.satisfies((ex) -> assertThat(ex.isClientFault()).isTrue());
		assertThat(this.registry.names()).isEmpty();
		assertThat(this.sessions.opened()).isZero();
	}

	/**
	 * Eight threads asking for three evictable models that only two at a time fit: models are evicted and loaded
	 * again all the time, and yet no request fails, the charges never pass the budget, and every session opened is
	 * closed exactly once.
	 */
	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX" })
	void eightReadersOverThreeModelsInABudgetOfTwoNeverFailAndNeverPassTheBudget(HolderStrategy strategy)
			throws Exception {
		registry(strategy, "a", "b", "c");
		int readers = 8;
		String[] names = { "a", "b", "c" };
		CyclicBarrier start = new CyclicBarrier(readers + 1);
		AtomicBoolean done = new AtomicBoolean();
		LongAdder answered = new LongAdder();
		AtomicLong mostCharged = new AtomicLong();
		Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
		ExecutorService pool = Executors.newFixedThreadPool(readers + 1);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			for (int i = 0; i < readers; i++) {
				int reader = i;
				tasks.add(pool.submit(() -> {
					start.await();
					for (int n = reader; !done.get(); n++) {
						try {
							assertThat(infer(names[n % names.length])).isEqualTo(1);
							answered.increment();
						}
						catch (Throwable ex) {
							failures.add(ex);
							return null;
						}
					}
					return null;
				}));
			}
			tasks.add(pool.submit(() -> {
				start.await();
				long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
				while (System.nanoTime() < until || this.events.of(VersionEvent.EVICT).size() < 50) {
					mostCharged.accumulateAndGet(this.registry.memoryBytes(), Math::max);
					Thread.onSpinWait();
				}
				done.set(true);
				return null;
			}));
			for (Future<?> task : tasks) {
				task.get(120, TimeUnit.SECONDS);
			}
		}
		finally {
			done.set(true);
			pool.shutdownNow();
		}
		assertThat(failures).isEmpty();
		assertThat(mostCharged.get()).isLessThanOrEqualTo(TWO_MODELS);
		assertThat(this.sessions.open()).as("loaded at the end").isBetween(1, 2);
		this.registry.close();
		this.sessions.assertEveryCloseOnce();
		System.out.printf("%s: %d answers, %d evictions, %d sessions opened%n", strategy, answered.sum(),
				this.events.of(VersionEvent.EVICT).size(), this.sessions.opened());
	}

	/**
	 * Real ONNX Runtime sessions that declare 64 MB each, counted open and closed; a run can be held inside a
	 * model to keep a request in flight.
	 */
	static final class Declared implements InferenceModelLoader {

		private final RuntimeRegistrationTests.Sessions onnx = new RuntimeRegistrationTests.Sessions();

		private final Map<String, AtomicInteger> closing = new ConcurrentHashMap<>();

		private final AtomicInteger doubleCloses = new AtomicInteger();

		private final Map<String, Boolean> blockNext = new ConcurrentHashMap<>();

		private volatile CountDownLatch blocked = new CountDownLatch(1);

		private final CountDownLatch released = new CountDownLatch(1);

		@Override
		public InferenceModel load(String model, ModelSource source) throws Exception {
			InferenceModel loaded = this.onnx.load(model, source);
			return new ForwardingInferenceModel(loaded) {

				private final AtomicInteger closes = new AtomicInteger();

				@Override
				public long sizeBytes() {
					return model.equals("huge") ? HUGE : DECLARED;
				}

				@Override
				public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
					if (Declared.this.blockNext.remove(model) != null) {
						Declared.this.blocked.countDown();
						try {
							Declared.this.released.await(60, TimeUnit.SECONDS);
						}
						catch (InterruptedException ex) {
							Thread.currentThread().interrupt();
						}
					}
					return super.run(inputs, outputs);
				}

				@Override
				public void close() throws Exception {
					Declared.this.closing.computeIfAbsent(model, (name) -> new AtomicInteger()).incrementAndGet();
					if (this.closes.incrementAndGet() > 1) {
						Declared.this.doubleCloses.incrementAndGet();
					}
					super.close();
				}

			};
		}

		void blockNextRunOf(String model) {
			this.blocked = new CountDownLatch(1);
			this.blockNext.put(model, true);
		}

		boolean awaitBlocked() throws InterruptedException {
			return this.blocked.await(30, TimeUnit.SECONDS);
		}

		void release() {
			this.released.countDown();
		}

		/**
		 * Whether a close of one of the model's sessions has begun.
		 */
		boolean closing(String model) {
			AtomicInteger count = this.closing.get(model);
			return count != null && count.get() > 0;
		}

		int opened(String model) {
			return this.onnx.opened(model);
		}

		int opened() {
			return this.onnx.opened();
		}

		int open(String model) {
			return this.onnx.open(model);
		}

		int open() {
			return this.onnx.open();
		}

		List<String> openNames() {
			List<String> names = new ArrayList<>();
			for (String model : List.of("a", "b", "c", "lazy", "eager1", "eager2", "resident", "guest", "huge")) {
				for (int i = 0; i < open(model); i++) {
					names.add(model);
				}
			}
			return names;
		}

		void assertEveryCloseOnce() {
			assertThat(this.doubleCloses.get()).as("sessions closed twice").isZero();
			assertThat(open()).as("sessions left open").isZero();
		}

	}

	/**
	 * The models each version event happened to, in order.
	 */
	static final class Events implements ModelRegistryObserver {

		private final Map<VersionEvent, Queue<String>> events = new ConcurrentHashMap<>();

		@Override
		public void versionEvent(String model, long version, VersionEvent event) {
			this.events.computeIfAbsent(event, (key) -> new ConcurrentLinkedQueue<>()).add(model);
		}

		List<String> of(VersionEvent event) {
			Queue<String> models = this.events.get(event);
			return (models != null) ? List.copyOf(models) : List.of();
		}

	}

}
