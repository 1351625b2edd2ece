package io.github.modelregistry.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Dynamic batching in the registry, on real ONNX Runtime sessions: answers bit-identical to unbatched ones under 64
 * concurrent clients for every strategy, shapes that differ never merged, a bad request refused alone, a full queue
 * and a queue time-out refused as such, a cancelled request dropped before it runs, a failed batch counted once,
 * and a reload during batching with every answer naming the version that computed it.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class BatchingTests {

	private static final int WIDTH = 16;

	@TempDir
	Path base;

	@ParameterizedTest
	@EnumSource(HolderStrategy.class)
	void answersWithBatchingAreBitIdenticalToAnswersWithoutUnder64ConcurrentClients(HolderStrategy strategy)
			throws Exception {
		TestModels.write(this.base, "ranker", 1, TestModels.perceptron(WIDTH, 32, 7));
		int perClient = (strategy == HolderStrategy.PER_REQUEST) ? 8 : 150;
		RunLog runs = new RunLog();
		BehavingModels models = BehavingModels.onnx().on("ranker", runs);
		try (ModelRegistry plain = TestRegistries.started(TestRegistries.builder()
			.model(TestRegistries.definition(this.base, "ranker", null, strategy, LoadMode.EAGER)));
				ModelRegistry batched = TestRegistries.started(ModelRegistry.builder()
					.modelLoader(models)
					.inferenceThreads(2)
					.batching(Batching.DEFAULTS)
					.model(TestRegistries.definition(this.base, "ranker", null, strategy, LoadMode.EAGER)))) {
			concurrently(64, Duration.ofSeconds(150), (client) -> {
				SplittableRandom random = new SplittableRandom(client);
				for (int i = 0; i < perClient; i++) {
					int rows = 1 + random.nextInt(4);
					Tensor input = features(random, rows);
					float[] expected = plain.infer("ranker", null, List.of(input), List.of()).outputs().get(0).floats();
					InferenceResult answer = batched.inferAsync("ranker", null, List.of(input), List.of()).join();
					Tensor score = answer.outputs().get(0);
					// Each client checks its own rows: same shape, same bits
					assertThat(score.shape()).containsExactly(rows, 1);
					assertThat(bits(score.floats())).containsExactly(bits(expected));
				}
			});
			assertThat(runs.maxRows()).as("some run merged several requests").isGreaterThan(4);
		}
	}

	@Test
	void requestsOfDifferentShapesAreNeverMergedAndEachGetsItsOwnAnswer() throws Exception {
		TestModels.write(this.base, "negation", 1, TestModels.negation());
		RunLog runs = new RunLog();
		try (ModelRegistry registry = batched(BehavingModels.onnx().on("negation", runs), "negation", 2,
				Batching.DEFAULTS)) {
			concurrently(32, Duration.ofSeconds(60), (client) -> {
				int width = 3 + (client % 3);
				SplittableRandom random = new SplittableRandom(client);
				for (int i = 0; i < 50; i++) {
					float[] values = new float[2 * width];
					for (int v = 0; v < values.length; v++) {
						values[v] = (float) random.nextDouble();
					}
					Tensor x = Tensor.ofFloats("x", new long[] { 2, width }, values);
					Tensor y = registry.inferAsync("negation", null, List.of(x), List.of()).join().outputs().get(0);
					assertThat(y.shape()).containsExactly(2, width);
					float[] negated = y.floats();
					for (int v = 0; v < values.length; v++) {
						assertThat(negated[v]).isEqualTo(-values[v]);
					}
				}
			});
			assertThat(runs.maxRows()).as("requests of one width merged").isGreaterThan(2);
		}
	}

	@Test
	void stringsOfDifferentLengthsShareRunsAndEachCallerGetsItsOwnBack() throws Exception {
		TestModels.write(this.base, "echo", 1, TestModels.echo());
		RunLog runs = new RunLog();
		try (ModelRegistry registry = batched(BehavingModels.onnx().on("echo", runs), "echo", 2, Batching.DEFAULTS)) {
			concurrently(32, Duration.ofSeconds(60), (client) -> {
				SplittableRandom random = new SplittableRandom(client);
				for (int i = 0; i < 100; i++) {
					String[] texts = new String[1 + random.nextInt(3)];
					for (int t = 0; t < texts.length; t++) {
						// 0 to 200 characters, some beyond ASCII: BYTES rows differ in size
						texts[t] = ("client " + client + " request " + i + " é ").repeat(random.nextInt(0, 8));
					}
					Tensor echo = registry.inferAsync("echo", null, List.of(Tensor.of("text", texts)), List.of())
						.join()
						.outputs()
						.get(0);
					assertThat(echo.shape()).containsExactly(texts.length);
					assertThat(echo.strings()).containsExactly(texts);
				}
			});
			assertThat(runs.maxRows()).as("requests of different lengths merged").isGreaterThan(3);
		}
	}

	@Test
	void aBadRequestIsRefusedAloneAndTheGoodOnesQueuedWithItAreAnswered() throws Exception {
		TestModels.write(this.base, "ranker", 1, TestModels.scorer(WIDTH, 0f));
		Gate gate = new Gate();
		BehavingModels models = BehavingModels.onnx();
		try (ModelRegistry registry = batched(models, "ranker", 1,
				Batching.DEFAULTS)) {
			// Set after start-up: the warm-up runs must pass
			models.on("ranker", gate);
			CompletableFuture<InferenceResult> first = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			gate.awaitEntered();
			List<CompletableFuture<InferenceResult>> good = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				good.add(registry.inferAsync("ranker", null, List.of(features(2)), List.of()));
			}
			CompletableFuture<InferenceResult> bad = registry.inferAsync("ranker", null,
					List.of(Tensor.ofFloats("features", new long[] { 1, 3 }, 1, 2, 3)), List.of());
			// Refused at once, before any run: it never reaches a batch
			assertThat(bad).isCompletedExceptionally();
			assertThatThrownBy(bad::join).hasCauseInstanceOf(InvalidInferenceRequestException.class)
				.hasMessageContaining("shape [1, 3]");
			gate.open();
			first.get(10, TimeUnit.SECONDS);
			for (CompletableFuture<InferenceResult> answer : good) {
				assertThat(answer.get(10, TimeUnit.SECONDS).outputs().get(0).shape()).containsExactly(2, 1);
			}
		}
	}

	@Test
	void aRepeatedInputInPlaceOfAMissingOneIsRefusedBeforeItIsQueued() throws Exception {
		TestModels.write(this.base, "typed", 1, TestModels.everyDatatype());
		Gate gate = new Gate();
		BehavingModels models = BehavingModels.onnx();
		try (ModelRegistry registry = batched(models, "typed", 1, Batching.DEFAULTS)) {
			models.on("typed", gate);
			long[] shape = { 1, 3 };
			Tensor fp32 = Tensor.ofFloats("x_fp32", shape, 1, 2, 3);
			List<Tensor> others = List.of(Tensor.ofInts("x_int32", shape, 1, 2, 3),
					Tensor.ofLongs("x_int64", shape, 1, 2, 3), Tensor.ofBooleans("x_bool", shape, true, false, true));
			List<Tensor> valid = new ArrayList<>(others);
			valid.add(fp32);
			valid.add(Tensor.ofDoubles("x_fp64", shape, 1, 2, 3));
			CompletableFuture<InferenceResult> running = registry.inferAsync("typed", null, valid, List.of());
			gate.awaitEntered();
			// As many tensors as inputs, each fitting its spec: only the runtime's own check sees what is wrong, and
			// with the only thread held in the model, a refusal now can only have come before queuing
			List<Tensor> repeated = new ArrayList<>(others);
			repeated.add(fp32);
			repeated.add(Tensor.ofFloats("x_fp32", shape, 4, 5, 6));
			CompletableFuture<InferenceResult> refused = registry.inferAsync("typed", null, repeated, List.of());
			assertThat(refused).isCompletedExceptionally();
			assertThatThrownBy(refused::join).hasCauseInstanceOf(InvalidInferenceRequestException.class)
				.hasMessageContaining("Input 'x_fp32' is given more than once");
			gate.open();
			assertThat(running.get(10, TimeUnit.SECONDS).outputs()).hasSize(5);
		}
	}

	@Test
	void aFullQueueRefusesAtOnceAsOverloaded() throws Exception {
		TestModels.write(this.base, "ranker", 1, TestModels.scorer(WIDTH, 0f));
		Gate gate = new Gate();
		BehavingModels models = BehavingModels.onnx();
		try (ModelRegistry registry = batched(models, "ranker", 1, new Batching(64, Duration.ZERO, List.of(), 2, null))) {
			// Set after start-up: the warm-up runs must pass
			models.on("ranker", gate);
			CompletableFuture<InferenceResult> running = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			gate.awaitEntered();
			CompletableFuture<InferenceResult> second = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			CompletableFuture<InferenceResult> third = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			CompletableFuture<InferenceResult> refused = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			assertThat(refused).isCompletedExceptionally();
			assertThatThrownBy(refused::join).hasCauseInstanceOf(ModelOverloadedException.class)
				.hasMessageContaining("model-registry.batching.max-queue-size");
			gate.open();
			for (CompletableFuture<InferenceResult> answer : List.of(running, second, third)) {
				assertThat(answer.get(10, TimeUnit.SECONDS).version()).isEqualTo(1);
			}
		}
	}

	@Test
	void aRequestNotStartedWithinTheQueueTimeoutIsRefusedAsUnavailable() throws Exception {
		TestModels.write(this.base, "ranker", 1, TestModels.scorer(WIDTH, 0f));
		Gate gate = new Gate();
		Counting protection = new Counting();
		BehavingModels models = BehavingModels.onnx();
		try (ModelRegistry registry = TestRegistries.started(ModelRegistry.builder()
			.modelLoader(models)
			.protection(protection)
			.inferenceThreads(1)
			.batching(new Batching(64, Duration.ZERO, List.of(), 100, Duration.ofMillis(50)))
			.model(TestRegistries.definition(this.base, "ranker", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER)))) {
			models.on("ranker", gate);
			CompletableFuture<InferenceResult> running = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			gate.awaitEntered();
			long queued = System.nanoTime();
			CompletableFuture<InferenceResult> late = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			// The clock, not a thread, is what this waits for: the queued request must be older than its time-out
			await().atMost(Duration.ofSeconds(5))
				.until(() -> System.nanoTime() - queued > Duration.ofMillis(100).toNanos());
			gate.open();
			running.get(10, TimeUnit.SECONDS);
			assertThatThrownBy(() -> late.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ModelUnavailableException.class)
				.hasMessageContaining("model-registry.batching.queue-timeout");
			// Refused, never a failure of the model: the circuit breaker saw one success and one uncounted call
			assertThat(protection.failed).hasValue(0);
			assertThat(protection.succeeded).hasValue(1);
			assertThat(protection.ignored).hasValue(1);
		}
	}

	@Test
	void aRequestCancelledWhileQueuedIsDroppedBeforeItRunsAndItsBuffersGoBack() throws Exception {
		TestModels.write(this.base, "ranker", 1, TestModels.scorer(WIDTH, 0f));
		Gate gate = new Gate();
		RunLog runs = new RunLog();
		BehavingModels models = BehavingModels.onnx();
		try (ModelRegistry registry = batched(models, "ranker", 1, Batching.DEFAULTS)) {
			// Set after start-up: the warm-up runs must pass
			models.on("ranker", (model, inputs) -> {
				gate.run(model, inputs);
				runs.run(model, inputs);
			});
			CompletableFuture<InferenceResult> running = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			gate.awaitEntered();
			CountDownLatch released = new CountDownLatch(1);
			CompletableFuture<InferenceResult> cancelled = registry.inferAsync("ranker", null,
					new InferenceRequest(List.of(features(3)), List.of(), released::countDown));
			CompletableFuture<InferenceResult> kept = registry.inferAsync("ranker", null, List.of(features(2)),
					List.of());
			cancelled.cancel(false);
			gate.open();
			running.get(10, TimeUnit.SECONDS);
			assertThat(kept.get(10, TimeUnit.SECONDS).outputs().get(0).shape()).containsExactly(2, 1);
			assertThat(released.await(10, TimeUnit.SECONDS)).as("the cancelled request's buffers went back").isTrue();
			// Runs of 1 row (the first) and 2 rows (the kept one): the cancelled one's 3 rows never ran
			assertThat(runs.rows).containsExactly(1L, 2L);
		}
	}

	@Test
	void aFailedBatchFailsEveryRequestInItAndTheCircuitBreakerCountsOneFailure() throws Exception {
		TestModels.write(this.base, "ranker", 1, TestModels.scorer(WIDTH, 0f));
		Gate gate = new Gate();
		Counting protection = new Counting();
		BehavingModels models = BehavingModels.onnx();
		try (ModelRegistry registry = TestRegistries.started(ModelRegistry.builder()
			.modelLoader(models)
			.protection(protection)
			.inferenceThreads(1)
			.batching(Batching.DEFAULTS)
			.model(TestRegistries.definition(this.base, "ranker", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER)
			))) {
			models.on("ranker", (model, inputs) -> {
				gate.run(model, inputs);
				throw new IllegalStateException("the runtime broke");
			});
			CompletableFuture<InferenceResult> first = registry.inferAsync("ranker", null, List.of(features(1)),
					List.of());
			gate.awaitEntered();
			List<CompletableFuture<InferenceResult>> batch = new ArrayList<>();
			for (int i = 0; i < 5; i++) {
				batch.add(registry.inferAsync("ranker", null, List.of(features(1)), List.of()));
			}
			gate.open();
			assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ModelFailedException.class);
			for (CompletableFuture<InferenceResult> answer : batch) {
				assertThatThrownBy(() -> answer.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(ModelFailedException.class)
					.hasMessageContaining("the runtime broke");
			}
			// Two runs (the first alone, then the five together): two failures, the other four handed back
			assertThat(protection.failed).hasValue(2);
			assertThat(protection.ignored).hasValue(4);
			assertThat(protection.released).hasValue(6);
		}
	}

	@ParameterizedTest
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX", "PER_REQUEST" })
	void aReloadDuringBatchingFailsNoRequestAndEachAnswerNamesTheVersionThatComputedIt(HolderStrategy strategy)
			throws Exception {
		TestModels.write(this.base, "ranker", 1, TestModels.scorer(WIDTH, 0f));
		TestModels.write(this.base, "ranker", 2, TestModels.scorer(WIDTH, 5f));
		Tensor input = features(3);
		try (ModelRegistry reference1 = TestRegistries.oneModel(this.base, "ranker", 1L, HolderStrategy.SHARDED_RCU,
				LoadMode.EAGER);
				ModelRegistry reference2 = TestRegistries.oneModel(this.base, "ranker", 2L, HolderStrategy.SHARDED_RCU,
						LoadMode.EAGER);
				ModelRegistry registry = TestRegistries.started(TestRegistries.builder()
					.inferenceThreads(2)
					.batching(Batching.DEFAULTS)
					.model(TestRegistries.definition(this.base, "ranker", null, strategy, LoadMode.EAGER)))) {
			List<int[]> expected = List.of(bits(reference1.infer("ranker", null, List.of(input), List.of())
				.outputs().get(0).floats()), bits(reference2.infer("ranker", null, List.of(input), List.of())
				.outputs().get(0).floats()));
			AtomicBoolean stop = new AtomicBoolean();
			AtomicInteger answered = new AtomicInteger();
			ExecutorService clients = Executors.newFixedThreadPool(16);
			try {
				List<CompletableFuture<Void>> done = new ArrayList<>();
				for (int c = 0; c < 16; c++) {
					done.add(CompletableFuture.runAsync(() -> {
						while (!stop.get()) {
							InferenceResult answer = registry.inferAsync("ranker", null, List.of(input), List.of())
								.join();
							assertThat(bits(answer.outputs().get(0).floats()))
								.containsExactly(expected.get((int) answer.version() - 1));
							answered.incrementAndGet();
						}
					}, clients));
				}
				for (int i = 0; i < 6; i++) {
					int before = answered.get();
					await().atMost(Duration.ofSeconds(30)).until(() -> answered.get() > before + 50);
					registry.reload("ranker", 1 + ((i + 1) % 2));
				}
				stop.set(true);
				CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			}
			finally {
				stop.set(true);
				clients.shutdownNow();
			}
		}
	}

	/**
	 * Runs {@code client} on that many threads at once, each given its number, and waits for all of them.
	 */
	private static void concurrently(int clients, Duration limit, IntConsumer client) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(clients);
		try {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int c = 0; c < clients; c++) {
				int number = c;
				done.add(CompletableFuture.runAsync(() -> client.accept(number), threads));
			}
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(limit.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
		}
	}

	private ModelRegistry batched(BehavingModels models, String name, int threads, Batching batching) {
		return TestRegistries.started(ModelRegistry.builder()
			.modelLoader(models)
			.inferenceThreads(threads)
			.batching(batching)
			.model(TestRegistries.definition(this.base, name, null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER)));
	}

	private static Tensor features(int rows) {
		return features(new SplittableRandom(rows), rows);
	}

	private static Tensor features(SplittableRandom random, int rows) {
		float[] values = new float[rows * WIDTH];
		for (int i = 0; i < values.length; i++) {
			values[i] = (float) random.nextDouble(-1, 1);
		}
		return Tensor.ofFloats("features", new long[] { rows, WIDTH }, values);
	}

	private static int[] bits(float[] values) {
		int[] bits = new int[values.length];
		for (int i = 0; i < values.length; i++) {
			bits[i] = Float.floatToRawIntBits(values[i]);
		}
		return bits;
	}

	/**
	 * Records the rows of every run.
	 */
	static final class RunLog implements BehavingModels.Behaviour {

		final Queue<Long> rows = new ConcurrentLinkedQueue<>();

		@Override
		public void run(String model, Collection<Tensor> inputs) {
			this.rows.add(inputs.iterator().next().shape()[0]);
		}

		long maxRows() {
			return this.rows.stream().mapToLong(Long::longValue).max().orElse(0);
		}

	}

	/**
	 * Holds the first run inside the model until opened; later runs pass.
	 */
	static final class Gate implements BehavingModels.Behaviour {

		private final CountDownLatch entered = new CountDownLatch(1);

		private final CountDownLatch open = new CountDownLatch(1);

		@Override
		public void run(String model, Collection<Tensor> inputs) throws InterruptedException {
			this.entered.countDown();
			if (!this.open.await(30, TimeUnit.SECONDS)) {
				throw new IllegalStateException("The gate was never opened");
			}
		}

		void awaitEntered() throws InterruptedException {
			assertThat(this.entered.await(30, TimeUnit.SECONDS)).as("a run entered the model").isTrue();
		}

		void open() {
			this.open.countDown();
		}

	}

	/**
	 * Counts what the registry tells the circuit breaker and the bulkhead.
	 */
	static final class Counting implements InferenceProtection {

		final AtomicInteger succeeded = new AtomicInteger();

		final AtomicInteger failed = new AtomicInteger();

		final AtomicInteger ignored = new AtomicInteger();

		final AtomicInteger released = new AtomicInteger();

		@Override
		public ModelProtection forModel(String model) {
			return new ModelProtection() {

				@Override
				public Permit acquire() {
					return new Permit() {

						@Override
						public void succeeded(long nanos) {
							Counting.this.succeeded.incrementAndGet();
						}

						@Override
						public void failed(long nanos, Throwable failure) {
							Counting.this.failed.incrementAndGet();
						}

						@Override
						public void ignored() {
							Counting.this.ignored.incrementAndGet();
						}

						@Override
						public void release() {
							Counting.this.released.incrementAndGet();
						}

					};
				}

				@Override
				public java.time.@org.jspecify.annotations.Nullable Duration timeLimit() {
					return null;
				}

			};
		}

	}

}
