package io.github.modelregistry.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.resilience4j.Resilience4jProtection;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.Tensor;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The registry's protection has the scope of the model's own work, on real ONNX Runtime sessions and real
 * Resilience4j instances: a caller's bug, an invalid request, a refusal, a cancellation never count against the
 * circuit breaker; a model whose runs fail, or run out of time, does; a permit is held exactly as long as the model
 * really runs, and the request's {@code whenDone} runs exactly once on every path.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InferenceProtectionTests {

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 1, 2, 3, 4));

	@TempDir
	Path base;

	private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
		.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
		.slidingWindowSize(4)
		.minimumNumberOfCalls(4)
		.failureRateThreshold(50)
		.waitDurationInOpenState(Duration.ofHours(1))
		.build());

	private final BulkheadRegistry bulkheads = BulkheadRegistry
		.of(BulkheadConfig.custom().maxConcurrentCalls(2).maxWaitDuration(Duration.ZERO).build());

	private final TimeLimiterRegistry timeLimiters = TimeLimiterRegistry
		.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofMillis(300)).build());

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private volatile CountDownLatch arrivals = new CountDownLatch(0);

	private final AtomicBoolean failing = new AtomicBoolean();

	private final AtomicInteger runs = new AtomicInteger();

	private ModelRegistry registry;

	@BeforeEach
	void registry() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		BehavingModels models = BehavingModels.onnx().on("scorer", (model, inputs) -> {
			this.runs.incrementAndGet();
			this.arrivals.countDown();
			this.gate.await(30, TimeUnit.SECONDS);
			if (this.failing.get()) {
				throw new IllegalStateException("the runtime failed on purpose");
			}
		});
		this.registry = TestRegistries.started(TestRegistries.builder()
			.model(new ModelDefinition("scorer", "file:" + this.base.resolve("scorer"), VersionPolicy.LATEST,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null, false))
			.modelLoader(models)
			.protection(new Resilience4jProtection(this.bulkheads, this.timeLimiters, this.circuitBreakers)));
	}

	@AfterEach
	void close() {
		this.gate.countDown();
		this.registry.close();
	}

	@Test
	void anUnregisteredModelsInstancesAreForgotten() {
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		this.registry.register(new ModelDefinition("guest", "file:" + this.base.resolve("guest"), VersionPolicy.LATEST,
				HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null, false));
		assertThat(this.registry.infer("guest", null, FEATURES, List.of()).version()).isEqualTo(1);
		assertThat(this.circuitBreakers.find("guest")).isPresent();
		assertThat(this.bulkheads.find("guest")).isPresent();
		this.registry.unregister("guest");
		assertThat(this.circuitBreakers.find("guest")).isEmpty();
		assertThat(this.bulkheads.find("guest")).isEmpty();
		assertThat(this.timeLimiters.find("guest")).isEmpty();
		assertThat(this.circuitBreakers.find("scorer")).isPresent();
	}

	private CircuitBreaker breaker() {
		return this.circuitBreakers.circuitBreaker("scorer");
	}

	private Bulkhead bulkhead() {
		return this.bulkheads.bulkhead("scorer");
	}

	@Test
	void callerCodeThatThrowsAroundTheModelCallNeverOpensTheCircuit() {
		for (int i = 0; i < 10; i++) {
			CompletableFuture<Object> answer = this.registry.inferAsync("scorer", null, FEATURES, List.of())
				.thenApply((result) -> {
					throw new NullPointerException("the caller's own bug");
				});
			assertThatExceptionOfType(CompletionException.class).isThrownBy(answer::join)
				.withCauseInstanceOf(NullPointerException.class);
			try {
				this.registry.infer("scorer", null, FEATURES, List.of());
				throw new NullPointerException("the caller's own bug, after a synchronous call");
			}
			catch (NullPointerException expected) {
				// The caller's problem, not the model's
			}
		}
		assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker().getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(this.runs).hasValue(20);
	}

	@Test
	void invalidRequestsAreNotCountedEitherWay() {
		List<Tensor> wrong = List.of(Tensor.ofFloats("nope", new long[] { 1, 4 }, 1, 2, 3, 4));
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(InvalidInferenceRequestException.class)
				.isThrownBy(() -> this.registry.infer("scorer", null, wrong, List.of()))
				.withMessageContaining("Unknown input 'nope'");
			assertThat(this.registry.inferAsync("scorer", null, wrong, List.of()))
				.failsWithin(Duration.ofSeconds(10))
				.withThrowableThat()
				.withCauseInstanceOf(InvalidInferenceRequestException.class);
		}
		CircuitBreaker.Metrics metrics = breaker().getMetrics();
		assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(metrics.getNumberOfFailedCalls() + metrics.getNumberOfSuccessfulCalls()).isZero();
	}

	@Test
	void aModelWhoseEveryRunFailsOpensItsCircuit() {
		this.failing.set(true);
		for (int i = 0; i < 4; i++) {
			assertThatExceptionOfType(ModelFailedException.class)
				.isThrownBy(() -> this.registry.infer("scorer", null, FEATURES, List.of()))
				.withMessageContaining("the runtime failed on purpose");
		}
		assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThat(this.registry.inferAsync("scorer", null, FEATURES, List.of())).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isInstanceOfSatisfying(ModelUnavailableException.class,
					(ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofHours(1)))
			.withMessageContaining("circuit breaker is OPEN");
		assertThat(this.runs).as("runs that reached the model").hasValue(4);
	}

	@Test
	void aFullBulkheadRefusesAtOnceAndTheCircuitStaysClosed() {
		this.gate = new CountDownLatch(1);
		this.arrivals = new CountDownLatch(2);
		CompletableFuture<InferenceResult> first = this.registry.inferAsync("scorer", null, FEATURES, List.of());
		CompletableFuture<InferenceResult> second = this.registry.inferAsync("scorer", null, FEATURES, List.of());
		await().atMost(Duration.ofSeconds(10)).until(() -> this.arrivals.getCount() == 0);
		CompletableFuture<InferenceResult> third = this.registry.inferAsync("scorer", null, FEATURES, List.of());
		// Refused before it was queued: the future is already complete
		assertThat(third).isCompletedExceptionally();
		assertThatExceptionOfType(CompletionException.class).isThrownBy(third::join)
			.havingCause()
			.isInstanceOfSatisfying(ModelOverloadedException.class,
					(ex) -> assertThat(ex.getRetryAfter()).isEqualTo(Duration.ofSeconds(1)));
		assertThatExceptionOfType(ModelOverloadedException.class)
			.isThrownBy(() -> this.registry.infer("scorer", null, FEATURES, List.of()));
		this.gate.countDown();
		assertThat(first.join().version()).isEqualTo(1);
		assertThat(second.join().version()).isEqualTo(1);
		assertThat(breaker().getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker().getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(breaker().getMetrics().getNumberOfSuccessfulCalls()).isEqualTo(2);
	}

	@Test
	void aTimedOutInferenceIsAFailureAndKeepsItsPermitUntilTheRunEnds() {
		this.gate = new CountDownLatch(1);
		AtomicInteger done = new AtomicInteger();
		CompletableFuture<InferenceResult> answer = this.registry.inferAsync("scorer", null,
				new InferenceRequest(FEATURES, List.of(), done::incrementAndGet));
		assertThat(answer).failsWithin(Duration.ofSeconds(10))
			.withThrowableThat()
			.havingCause()
			.isInstanceOf(InferenceTimeoutException.class)
			.withMessageContaining("took longer than 300 ms");
		// The caller has its answer; the model still runs on the inputs and holds its permit
		assertThat(bulkhead().getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
		assertThat(done).hasValue(0);
		assertThat(breaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		this.gate.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead().getMetrics().getAvailableConcurrentCalls() == 2);
		// Counted once, as the time-out, not again when the run finished
		assertThat(breaker().getMetrics().getNumberOfFailedCalls()).isEqualTo(1);
		assertThat(breaker().getMetrics().getNumberOfSuccessfulCalls()).isZero();
	}

	@Test
	void aCancelledInferenceIsNotCountedAgainstTheModel() {
		this.gate = new CountDownLatch(1);
		this.arrivals = new CountDownLatch(1);
		AtomicInteger done = new AtomicInteger();
		CompletableFuture<InferenceResult> answer = this.registry.inferAsync("scorer", null,
				new InferenceRequest(FEATURES, List.of(), done::incrementAndGet));
		await().atMost(Duration.ofSeconds(10)).until(() -> this.arrivals.getCount() == 0);
		answer.cancel(true);
		assertThat(bulkhead().getMetrics().getAvailableConcurrentCalls()).isEqualTo(1);
		this.gate.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> done.get() == 1);
		await().atMost(Duration.ofSeconds(10)).until(() -> bulkhead().getMetrics().getAvailableConcurrentCalls() == 2);
		// The model answered; that the caller had gone says nothing against it
		assertThat(breaker().getMetrics().getNumberOfFailedCalls()).isZero();
	}

	@Test
	void refusedRequestsRunWhenDoneOnceAndTouchNoBreaker() {
		AtomicInteger done = new AtomicInteger();
		assertThat(this.registry.inferAsync("made-up", null, new InferenceRequest(FEATURES, List.of(),
				done::incrementAndGet)))
			.failsWithin(Duration.ofSeconds(1))
			.withThrowableThat()
			.withCauseInstanceOf(ModelNotFoundException.class);
		assertThatExceptionOfType(ModelVersionNotServedException.class).isThrownBy(() -> this.registry.infer("scorer",
				7L, new InferenceRequest(FEATURES, List.of(), done::incrementAndGet)))
			.withMessage("Version 7 of model 'scorer' is not served; served: [1]");
		assertThat(done).hasValue(2);
		assertThat(this.circuitBreakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
			.containsExactly("scorer");
		CircuitBreaker.Metrics metrics = breaker().getMetrics();
		assertThat(metrics.getNumberOfFailedCalls() + metrics.getNumberOfSuccessfulCalls()).isZero();
		assertThat(this.runs).hasValue(0);
	}

}
