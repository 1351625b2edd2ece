package io.github.modelregistry.registry;

import java.util.List;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Models given to the registry in code ({@link ModelRegistry.Builder#model(InferenceModel)}): served by every
 * strategy, never closed under a request, closed once when the registry closes, found again by a reload.
 */
class InCodeModelTests {

	@ParameterizedTest
	@EnumSource(HolderStrategy.class)
	void everyStrategyServesItAndOnlyTheRegistrysCloseClosesIt(HolderStrategy strategy) {
		DoublingModel model = new DoublingModel("doubler", 4);
		ModelRegistry registry = ModelRegistry.builder().model(model, strategy).inferenceThreads(1).build();
		registry.start();
		for (int i = 0; i < 20; i++) {
			InferenceResult result = registry.infer("doubler", null,
					List.of(Tensor.ofFloats("x", new long[] { 1 }, i)), List.of());
			assertThat(result.version()).isEqualTo(4);
			assertThat(result.outputs().get(0).floats()).containsExactly(2f * i);
		}
		assertThat(model.closes()).isEqualTo(0);
		assertThat(registry.strategy("doubler")).isEqualTo(strategy.value());
		assertThat(registry.metadata("doubler").platform()).isEqualTo("test");
		registry.close();
		registry.close();
		assertThat(model.closes()).isEqualTo(1);
	}

	@Test
	void aReloadKeepsIt() {
		DoublingModel model = new DoublingModel("doubler", 2);
		try (ModelRegistry registry = ModelRegistry.builder().model(model).build()) {
			registry.start();
			ReloadResult reload = registry.reload("doubler");
			assertThat(reload.outcome()).isEqualTo(ReloadResult.Outcome.RELOADED);
			assertThat(reload.version()).isEqualTo(2);
			assertThat(registry.servedVersions("doubler")).containsExactly(2L);
			assertThat(registry.status("doubler").source()).isEqualTo("code");
			assertThat(registry.infer("doubler", 2L, List.of(Tensor.ofFloats("x", new long[] { 1 }, 1)), List.of())
				.outputs().get(0).floats()).containsExactly(2f);
			assertThat(model.closes()).isEqualTo(0);
		}
	}

	@Test
	void aDefinitionOrRemovalReplacesIt() {
		ModelRegistry.Builder builder = ModelRegistry.builder().model(new DoublingModel("a", 1)).model(new DoublingModel("b", 1));
		builder.removeModel("a");
		assertThat(builder.models()).extracting(ModelDefinition::name).containsExactly("b");
		try (ModelRegistry registry = builder.build()) {
			registry.start();
			assertThat(registry.names()).containsExactly("b");
		}
	}

	@Test
	void aModelFromAFolderNeedsALoader() {
		ModelRegistry.Builder builder = ModelRegistry.builder()
			.model(new DoublingModel("inline", 1))
			.model(new ModelDefinition("scorer", "file:/nowhere/scorer", null, HolderStrategy.SHARDED_RCU,
					LoadMode.EAGER));
		assertThatIllegalStateException().isThrownBy(builder::build)
			.withMessageStartingWith("Model 'scorer' is loaded from file:/nowhere/scorer but the registry has no model"
					+ " loader");
	}

	@Test
	void refusesAnInvalidNameOrVersion() {
		assertThatIllegalArgumentException().isThrownBy(() -> ModelRegistry.builder().model(new DoublingModel("../x", 1)));
		assertThatIllegalArgumentException().isThrownBy(() -> ModelRegistry.builder().model(new DoublingModel("x", 0)))
			.withMessageContaining("must be a positive integer");
	}

}
