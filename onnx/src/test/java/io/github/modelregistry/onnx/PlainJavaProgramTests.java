package io.github.modelregistry.onnx;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ReloadResult;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a batch job or a Kafka consumer does with {@code model-registry-core} and {@code model-registry-onnx} alone:
 * build a registry in plain Java, infer, reload a new version, infer again, close. The module's enforcer rule keeps
 * every Spring artifact off this test's class path, and the test checks that too: what passes here runs without
 * Spring.
 */
class PlainJavaProgramTests {

	@TempDir
	Path models;

	@Test
	void aProgramWithoutSpringLoadsInfersAndReloadsAModel() throws Exception {
		assertThatExceptionOfType(ClassNotFoundException.class)
			.isThrownBy(() -> Class.forName("org.springframework.core.io.Resource"));
		TestModels.write(this.models, "scorer", 1, TestModels.scorer(4, 0f));
		Tensor features = Tensor.ofFloats("features", new long[] { 1, 4 }, 1f, 2f, 3f, 4f);

		// As docs/in-process.md shows it
		try (ModelRegistry registry = ModelRegistry.builder()
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.model(ModelDefinition.of("scorer", this.models.resolve("scorer").toString()))
			.build()) {
			registry.start();
			InferenceResult first = registry.infer("scorer", null, List.of(features), List.of());
			assertThat(first.version()).isEqualTo(1);
			float before = first.outputs().get(0).floats()[0];

			TestModels.write(this.models, "scorer", 2, TestModels.scorer(4, 3f));
			ReloadResult reload = registry.reload("scorer");
			assertThat(reload.outcome()).isEqualTo(ReloadResult.Outcome.RELOADED);
			assertThat(reload.version()).isEqualTo(2);

			InferenceResult second = registry.infer("scorer", null, List.of(features), List.of());
			assertThat(second.version()).isEqualTo(2);
			assertThat(second.outputs().get(0).floats()[0]).isGreaterThan(before);
		}
	}

	@Test
	void aFileUrlAndABasePathNameTheSameFolders() throws Exception {
		TestModels.write(this.models, "scorer", 3, TestModels.scorer(4, 0f));
		Files.createDirectories(this.models.resolve("not-a-model"));
		try (ModelRegistry registry = ModelRegistry.builder()
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.basePath(this.models.toUri().toString())
			.build()) {
			registry.start();
			assertThat(registry.repositoryIndex()).extracting((model) -> model.name()).containsExactly("scorer");
			registry.register("scorer");
			assertThat(registry.infer("scorer", null,
					List.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 0f, 0f, 0f, 0f)), List.of())
				.version()).isEqualTo(3);
		}
	}

}
