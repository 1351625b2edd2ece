package io.github.modelregistry.autoconfigure;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.pipeline.PipelineStage;
import io.github.modelregistry.pipeline.PipelineStageFactory;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import io.github.modelregistry.tokenizers.HuggingFaceTokenizerStage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A model's pipeline from {@code model-registry.models.<name>.pipeline.*}: stages named by their
 * {@link PipelineStageFactory} beans, the built-in ones present when their technology is, options reaching the
 * stages, and a name that is no stage refused at start-up with the names that are.
 */
class PipelinePropertiesTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class));

	@TempDir
	Path base;

	@BeforeEach
	void writeModels() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
	}

	@Test
	void stagesNamedInPropertiesWrapTheModelWithTheirOptions() {
		this.contextRunner.withUserConfiguration(ScalingStage.class)
			.withPropertyValues("model-registry.base-path=file:" + this.base, "model-registry.models.scorer.load=eager",
					"model-registry.models.scorer.pipeline.pre=scaling",
					"model-registry.models.scorer.pipeline.options.factor=0")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.metadata("scorer").inputs()).extracting(TensorSpec::name).containsExactly("raw");
				assertThat(registry.metadata("scorer").platform()).isEqualTo("ensemble");
				// Scaled by 0: the features are zeros, the score sigmoid(bias 0) = 0.5 whatever the raw values
				float[] score = registry.infer("scorer", Tensor.ofFloats("raw", new long[] { 1, 4 }, 9, 9, 9, 9))
					.outputs()
					.get(0)
					.floats();
				assertThat(score).containsExactly(0.5f);
			});
	}

	@Test
	void theBuiltInStagesAreThereWithTheirTechnology() {
		this.contextRunner.withPropertyValues("model-registry.base-path=file:" + this.base).run((context) -> {
			assertThat(context).hasBean("meanPooling").hasBean("huggingFaceTokenizer");
		});
		this.contextRunner.withClassLoader(new FilteredClassLoader(HuggingFaceTokenizerStage.class))
			.withPropertyValues("model-registry.base-path=file:" + this.base)
			.run((context) -> assertThat(context).hasBean("meanPooling").doesNotHaveBean("huggingFaceTokenizer"));
	}

	@Test
	void aStageThatIsNoBeanFailsTheStartNamingTheStages() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(HuggingFaceTokenizerStage.class))
			.withPropertyValues("model-registry.base-path=file:" + this.base,
					"model-registry.models.scorer.pipeline.pre=huggingFaceTokenizer")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessage("model-registry.models.scorer.pipeline names stage 'huggingFaceTokenizer', which is no "
						+ "PipelineStageFactory bean; the stages are [meanPooling] (add model-registry-tokenizers "
						+ "for it)"));
	}

	@Configuration(proxyBeanMethods = false)
	static class ScalingStage {

		/** Reads {@code raw}, writes {@code features} = raw × the option {@code factor} */
		@Bean
		PipelineStageFactory scaling() {
			return (context) -> {
				float factor = Float.parseFloat(context.option("factor"));
				return new PipelineStage() {

					@Override
					public List<TensorSpec> inputs() {
						return List.of(new TensorSpec("raw", TensorDatatype.FP32, new long[] { -1, 4 }));
					}

					@Override
					public List<TensorSpec> outputs() {
						return List.of(new TensorSpec("features", TensorDatatype.FP32, new long[] { -1, 4 }));
					}

					@Override
					public List<Tensor> run(Map<String, Tensor> inputs) {
						Tensor raw = inputs.get("raw");
						float[] values = raw.floats();
						for (int i = 0; i < values.length; i++) {
							values[i] *= factor;
						}
						return List.of(Tensor.ofFloats("features", raw.shape(), values));
					}

				};
			};
		}

	}

}
