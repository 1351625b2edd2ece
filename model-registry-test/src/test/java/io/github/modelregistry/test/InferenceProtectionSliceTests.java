package io.github.modelregistry.test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelFailedException;
import io.github.modelregistry.registry.ModelOverloadedException;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelUnavailableException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AutoConfigureInferenceProtection} added to the slice: Resilience4j's bulkhead and circuit breaker guard the
 * stubs as they guard real models, configured by the same properties.
 */
@ModelRegistryTest(properties = { "resilience4j.bulkhead.instances.slow.max-concurrent-calls=1",
		"resilience4j.bulkhead.instances.slow.max-wait-duration=0",
		"resilience4j.circuitbreaker.instances.flaky.sliding-window-size=2",
		"resilience4j.circuitbreaker.instances.flaky.minimum-number-of-calls=2",
		"resilience4j.circuitbreaker.instances.flaky.wait-duration-in-open-state=1h" })
@AutoConfigureInferenceProtection
class InferenceProtectionSliceTests {


	@Autowired
	ModelRegistry registry;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Autowired
	Models models;

	@TestConfiguration(proxyBeanMethods = false)
	static class Models {

		volatile CountDownLatch entered = new CountDownLatch(1);

		volatile CountDownLatch release = new CountDownLatch(1);

		final AtomicBoolean failing = new AtomicBoolean(true);

		@Bean
		StubModel slow() {
			return StubModel.of(StubModel.spec("slow").input("x", TensorDatatype.INT64, -1)
				.output("y", TensorDatatype.INT64, -1), (inputs) -> {
					this.entered.countDown();
					await(this.release);
					return List.of(Tensor.ofLongs("y", new long[] { 1 }, 1));
				});
		}

		@Bean
		StubModel flaky() {
			return StubModel.of(StubModel.spec("flaky").input("x", TensorDatatype.INT64, -1)
				.output("y", TensorDatatype.INT64, -1), (inputs) -> {
					if (this.failing.get()) {
						throw new IllegalStateException("the stub fails as asked");
					}
					return List.of(Tensor.ofLongs("y", new long[] { 1 }, 1));
				});
		}

		private static void await(CountDownLatch latch) {
			try {
				assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

	}

	@BeforeEach
	void hold() {
		this.models.entered = new CountDownLatch(1);
		this.models.release = new CountDownLatch(1);
	}

	@AfterEach
	void release() {
		this.models.release.countDown();
	}

	@Test
	void aFullBulkheadRefusesTheSecondConcurrentInference() throws Exception {
		CompletableFuture<InferenceResult> first = this.registry.inferAsync("slow", null, x(), List.of());
		assertThat(this.models.entered.await(30, TimeUnit.SECONDS)).isTrue();
		assertThatExceptionOfType(ModelOverloadedException.class)
			.isThrownBy(() -> this.registry.infer("slow", null, x(), List.of()))
			.withMessageContaining("resilience4j.bulkhead.instances.slow.max-concurrent-calls");
		this.models.release.countDown();
		ModelRegistryAssertions.assertThat(first.get(30, TimeUnit.SECONDS)).output("y").longs().containsExactly(1);
	}

	@Test
	void aFailingStubOpensItsOwnCircuitBreakerAndNoOtherModels() {
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(ModelFailedException.class)
				.isThrownBy(() -> this.registry.infer("flaky", null, x(), List.of()));
		}
		this.models.failing.set(false);
		assertThatExceptionOfType(ModelUnavailableException.class)
			.isThrownBy(() -> this.registry.infer("flaky", null, x(), List.of()))
			.withMessageContaining("circuit breaker is OPEN");
		assertThat(this.circuitBreakers.circuitBreaker("flaky").getState().name()).isEqualTo("OPEN");
		assertThat(this.circuitBreakers.circuitBreaker("slow").getState().name()).isEqualTo("CLOSED");
	}

	private static List<Tensor> x() {
		return List.of(Tensor.ofLongs("x", new long[] { 1 }, 7));
	}

}
