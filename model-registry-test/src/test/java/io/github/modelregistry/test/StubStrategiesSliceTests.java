package io.github.modelregistry.test;

import java.util.List;

import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import static io.github.modelregistry.test.ModelRegistryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A stub under the strategy the properties give it, including {@code per-request}, which closes what it loads
 * after every request: the registry lends the stub to its holder, so the stub itself stays open and serves every
 * request; a stub named as a configured model takes that model's strategy.
 */
@ModelRegistryTest(properties = { "model-registry.strategy=per-request",
		"model-registry.models.ranker.strategy=rwlock" })
class StubStrategiesSliceTests {

	@Autowired
	ModelRegistry registry;

	@Autowired
	StubModel echo;

	@TestConfiguration(proxyBeanMethods = false)
	static class Models {

		@Bean
		StubModel ranker() {
			return StubModels.summingRanker();
		}

		@Bean
		StubModel echo() {
			return StubModel.of(
					StubModel.spec("echo").input("x", io.github.modelregistry.tensor.TensorDatatype.INT64, -1)
						.output("y", io.github.modelregistry.tensor.TensorDatatype.INT64, -1),
					(inputs) -> List.of(io.github.modelregistry.tensor.Tensor.ofLongs("y", inputs.get("x").shape(),
							inputs.get("x").longs())));
		}

	}

	@Test
	void aStubBeanWinsOverACustomizersModelAndServesUnderPerRequest() {
		assertThat(this.registry.strategy("echo")).isEqualTo("per-request");
		for (long i = 0; i < 50; i++) {
			assertThat(this.registry.infer("echo", null,
					List.of(io.github.modelregistry.tensor.Tensor.ofLongs("x", new long[] { 1 }, i)), List.of()))
				.output("y").longs().containsExactly(i);
		}
		assertThat(this.echo.isClosed()).isFalse();
		assertThat(this.echo.runs()).isEqualTo(50);
	}

	@Test
	void aStubNamedAsAConfiguredModelTakesItsStrategy() {
		assertThat(this.registry.strategy("ranker")).isEqualTo("rwlock");
		assertThat(this.registry.infer("ranker", null, List.of(StubModels.rows(1)), List.of())).hasVersion(3);
	}

}
