package io.github.modelregistry.repository;

import java.nio.file.Files;
import java.nio.file.Path;

import io.github.modelregistry.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ModelRepository}.
 */
class ModelRepositoryTests {

	private final ModelRepository repository = new ModelRepository();

	@TempDir
	Path base;

	@Test
	void versionsAreNumberedFoldersHoldingAModelFile() throws Exception {
		byte[] model = TestModels.scorer(4, 0f);
		TestModels.write(this.base, "scorer", 1, model);
		TestModels.write(this.base, "scorer", 10, model);
		Files.createDirectories(this.base.resolve("scorer/002"));
		Files.write(this.base.resolve("scorer/002/model.onnx"), model);
		// Not versions: no model file yet, version 0, not a number
		Files.createDirectories(this.base.resolve("scorer/11"));
		Files.createDirectories(this.base.resolve("scorer/0"));
		Files.write(this.base.resolve("scorer/0/model.onnx"), model);
		Files.createDirectories(this.base.resolve("scorer/latest"));
		Files.write(this.base.resolve("scorer/latest/model.onnx"), model);
		String location = "file:" + this.base.resolve("scorer");
		assertThat(this.repository.versions("scorer", location).keySet()).containsExactly(1L, 2L, 10L);
		assertThat(this.repository.latest("scorer", location).version()).isEqualTo(10);
		ModelSource second = this.repository.version("scorer", location, 2);
		assertThat(second.file()).isEqualTo(this.base.resolve("scorer/002/model.onnx"));
		assertThat(second.description()).endsWith("/scorer/002/model.onnx");
	}

	@Test
	void modelsUnderABaseAreTheValidlyNamedFoldersWithAVersion() throws Exception {
		byte[] model = TestModels.scorer(4, 0f);
		TestModels.write(this.base, "scorer", 1, model);
		TestModels.write(this.base, "ranker-eu", 3, model);
		// Not models: no version with a model file, a version that is not a number, a name that is not valid
		Files.createDirectories(this.base.resolve("empty/1"));
		Files.createDirectories(this.base.resolve("unversioned/latest"));
		Files.write(this.base.resolve("unversioned/latest/model.onnx"), model);
		TestModels.write(this.base, ".hidden", 1, model);
		assertThat(this.repository.modelsUnder("file:" + this.base)).containsExactly("ranker-eu", "scorer");
		assertThat(this.repository.modelsUnder("file:" + this.base.resolve("missing"))).isEmpty();
	}

	@Test
	void linksLeadingOutsideTheModelFolderAreNotVersionsAndALoopDoesNotEmptyTheListing() throws Exception {
		byte[] model = TestModels.scorer(4, 0f);
		TestModels.write(this.base, "scorer", 1, model);
		TestModels.write(this.base, "scorer", 2, model);
		Path outside = Files.createDirectories(this.base.resolve("elsewhere/9"));
		Files.write(outside.resolve("model.onnx"), model);
		Path secret = Files.writeString(this.base.resolve("hostname"), "not a model");
		Path scorer = this.base.resolve("scorer");
		// A version folder linked outside, a model file linked outside, a link loop
		Files.createSymbolicLink(scorer.resolve("5"), outside);
		Files.createDirectories(scorer.resolve("4"));
		Files.createSymbolicLink(scorer.resolve("4/model.onnx"), secret);
		Files.createSymbolicLink(scorer.resolve("3"), scorer.resolve("3"));
		// A link inside the model's own folder is fine (as Kubernetes mounts a ConfigMap)
		Files.createSymbolicLink(scorer.resolve("6"), scorer.resolve("2"));
		assertThat(this.repository.versions("scorer", "file:" + scorer).keySet()).containsExactly(1L, 2L, 6L);
	}

	@Test
	void missingLocationsAndVersionsAreReportedWithTheExpectedLayout() {
		String location = "file:" + this.base.resolve("absent");
		assertThat(this.repository.versions("absent", location)).isEmpty();
		assertThatExceptionOfType(ModelVersionNotFoundException.class)
			.isThrownBy(() -> this.repository.latest("absent", location))
			.withMessageContaining("(the location does not exist)")
			.withMessageContaining(location + "/<version>/model.onnx");
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		assertThatExceptionOfType(ModelVersionNotFoundException.class)
			.isThrownBy(() -> this.repository.version("scorer", "file:" + this.base.resolve("scorer"), 5))
			.withMessageContaining("Version 5 of model 'scorer' not found")
			.withMessageContaining("available versions are [1]");
	}

	@Test
	void aLocationIsAPathOrAFileUrlAndOtherSchemesAreRefusedWithTheModuleThatReadsThem() throws Exception {
		TestModels.write(this.base, "scorer", 3, TestModels.scorer(4, 0f));
		Path scorer = this.base.resolve("scorer");
		assertThat(this.repository.versions("scorer", scorer.toString()).keySet()).containsExactly(3L);
		assertThat(this.repository.versions("scorer", scorer.toUri().toString()).keySet()).containsExactly(3L);
		assertThat(this.repository.latest("scorer", "file:" + scorer).file()).isEqualTo(scorer.resolve("3/model.onnx"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.repository.versions("scorer", "classpath:models"))
			.withMessageContaining("classpath:")
			.withMessageContaining("Spring Boot module");
	}

	@Test
	void filesBesideAVersionAreListedByNameAndAMissingFolderHasNone() throws Exception {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		Path warmup = Files.createDirectories(this.base.resolve("scorer/1/warmup"));
		Files.writeString(warmup.resolve("b.json"), "{}");
		Files.writeString(warmup.resolve("a.json"), "{}");
		Files.createDirectories(warmup.resolve("folder"));
		ModelSource source = this.repository.latest("scorer", "file:" + this.base.resolve("scorer"));
		assertThat(source.filesIn("warmup")).extracting(ModelSource.Content::name).containsExactly("a.json", "b.json");
		assertThat(source.filesIn("missing")).isEmpty();
		assertThat(ModelRepository.fingerprint(source).size()).isEqualTo(Files.size(source.file()));
	}

	@Test
	void modelNamesCannotReachOutsideTheBase() {
		assertThat(ModelRepository.locationOf("file:/srv/models", "ranker-v2.onnx_x"))
			.isEqualTo("file:/srv/models/ranker-v2.onnx_x");
		assertThat(ModelRepository.locationOf("classpath:models/", "ranker")).isEqualTo("classpath:models/ranker");
		for (String name : new String[] { "..", "../etc", "a/b", "a\\b", ".hidden", "", "a..b", "a b", "%2e%2e" }) {
			assertThatIllegalArgumentException().as(name)
				.isThrownBy(() -> ModelRepository.locationOf("file:/srv/models", name))
				.withMessageContaining("Invalid model name");
		}
	}

}
