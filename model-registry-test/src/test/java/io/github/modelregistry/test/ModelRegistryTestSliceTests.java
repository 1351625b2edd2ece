package io.github.modelregistry.test;

import java.util.List;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.InvalidInferenceRequestException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.github.modelregistry.test.ModelRegistryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ModelRegistryTest} as a user writes it: a stub bean, served by the registry, with no ONNX Runtime on the
 * class path and none of the application's other components or auto-configuration.
 */
@ModelRegistryTest(properties = "model-registry.models.configured.path=classpath:no-such-folder")
class ModelRegistryTestSliceTests {

	@Autowired
	ModelRegistry registry;

	@Autowired
	ApplicationContext context;

	@Autowired
	StubModel ranker;

	@TestConfiguration(proxyBeanMethods = false)
	static class Models {

		@Bean
		StubModel ranker() {
			return StubModels.summingRanker();
		}

	}

	@Test
	void theClassPathHasNoOnnxRuntime() {
		assertThat(getClass().getClassLoader().getResource("ai/onnxruntime/OrtSession.class")).isNull();
	}

	@Test
	void servesTheStubThroughTheRegistry() {
		InferenceResult result = this.registry.infer("ranker", null, List.of(StubModels.rows(10)), List.of("score"));
		assertThat(result).hasModel("ranker").hasVersion(3).hasOutputs("score")
			.output("score").hasShape(10, 1).floats().startsWith(0f, 4f, 8f).endsWith(36f);
		assertThat(this.registry.strategy("ranker")).isEqualTo("sharded-rcu");
		assertThat(this.registry.ready()).isTrue();
		assertThat(this.ranker.runs()).isPositive();
	}

	@Test
	void servesAsynchronouslyOnTheInferencePoolToo() {
		InferenceResult result = this.registry.inferAsync("ranker", 3L, List.of(StubModels.rows(2)), List.of()).join();
		assertThat(result).hasOutputs("score", "rank").output("rank").longs().containsExactly(0, 1);
	}

	@Test
	void refusesABadRequestWithTheRegistrysOwnException() {
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> this.registry.infer("ranker", null,
					List.of(io.github.modelregistry.tensor.Tensor.ofFloats("features", new long[] { 1, 2 }, 1, 2)),
					List.of()))
			.withMessageContaining("features");
	}

	@Test
	void servesTheScannedCustomizersModelAndLeavesTheConfiguredOneOut() {
		assertThat(this.registry.names()).containsExactlyInAnyOrder("ranker", "echo");
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> this.registry.infer("configured", null, List.of(), List.of()));
	}

	@Test
	void startsNothingButTheRegistry() {
		assertThat(this.context.getBeanNamesForType(ScannedComponents.UnrelatedService.class)).isEmpty();
		assertThat(this.context.containsBean("webHandler")).isFalse();
		assertThat(this.context.getBeanNamesForType(io.github.resilience4j.bulkhead.BulkheadRegistry.class)).isEmpty();
		assertThat(this.context.getBeanNamesForType(io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry.class))
			.isEmpty();
	}

}
