package io.github.modelregistry.autoconfigure;

import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import io.github.modelregistry.onnx.OnnxModel;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.ModelVersionNotFoundException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ResourceModelRepository}: models inside a jar, and {@code classpath:} and {@code file:} folders on
 * disk read by the core repository.
 */
class ResourceModelRepositoryTests {

	@TempDir
	Path base;

	@Test
	void modelsInsideAJarAreFoundOnTheClassPathAndLoadedFromTheirBytes() throws Exception {
		Path jar = this.base.resolve("models.jar");
		try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
			for (String folder : new String[] { "models/", "models/scorer/", "models/scorer/1/", "models/scorer/2/" }) {
				out.putNextEntry(new JarEntry(folder));
				out.closeEntry();
			}
			write(out, "models/scorer/1/model.onnx", TestModels.scorer(4, 0f));
			write(out, "models/scorer/2/model.onnx", TestModels.scorer(4, 1f));
			write(out, "models/scorer/2/warmup/a.json", "{\"inputs\": []}".getBytes());
		}
		try (URLClassLoader classLoader = new URLClassLoader(new URL[] { jar.toUri().toURL() }, null)) {
			ResourceModelRepository repository = new ResourceModelRepository(
					new PathMatchingResourcePatternResolver(classLoader));
			ModelSource latest = repository.latest("scorer", "classpath:models/scorer");
			assertThat(latest.version()).isEqualTo(2);
			assertThat(latest.file()).isNull();
			assertThat(latest.description()).startsWith("jar:file:").endsWith("models/scorer/2/model.onnx");
			try (OnnxModel model = new OnnxModelLoader(OnnxSessionSettings.DEFAULT).load("scorer", 2,
					latest.description(), latest.bytes())) {
				assertThat(model.inputs()).hasSize(1);
			}
			assertThat(repository.modelsUnder("classpath:models")).containsExactly("scorer");
			assertThat(repository.versions("scorer", "classpath:models/scorer").keySet()).containsExactly(1L, 2L);
			assertThat(latest.filesIn("warmup")).extracting(ModelSource.Content::name).containsExactly("a.json");
			assertThat(new String(latest.filesIn("warmup").get(0).bytes())).isEqualTo("{\"inputs\": []}");
			assertThat(repository.versions("scorer", "classpath:models/missing")).isEmpty();
		}
	}

	@Test
	void foldersOnDiskAreReadByTheCoreRepositoryWithItsRulesOnLinks() throws Exception {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		Path outside = Files.createTempDirectory("outside-the-base");
		Files.createSymbolicLink(this.base.resolve("linked"), outside);
		ResourceModelRepository repository = new ResourceModelRepository(new PathMatchingResourcePatternResolver());
		String location = "file:" + this.base;
		assertThat(repository.modelsUnder(location)).containsExactly("scorer");
		assertThat(repository.latest("scorer", location + "/scorer").file())
			.isEqualTo(this.base.resolve("scorer/1/model.onnx"));
		assertThat(repository.locationInside(location, "new-model")).isEqualTo(location + "/new-model");
		assertThatIllegalArgumentException().isThrownBy(() -> repository.locationInside(location, "linked"))
			.withMessageContaining("outside the base path");
		Files.delete(this.base.resolve("linked"));
		Files.delete(outside);
	}

	@Test
	void aPathWithoutAPrefixIsAFolderOnTheFileSystemNotOnTheClassPath() throws Exception {
		TestModels.write(this.base, "scorer", 2, TestModels.scorer(4, 0f));
		ResourceModelRepository repository = new ResourceModelRepository(new PathMatchingResourcePatternResolver());
		// Spring's resource loader would look "/tmp/..." up on the class path and find nothing
		assertThat(repository.modelsUnder(this.base.toString())).containsExactly("scorer");
		assertThat(repository.latest("scorer", this.base.resolve("scorer").toString()).file())
			.isEqualTo(this.base.resolve("scorer/2/model.onnx"));
		assertThat(repository.versions("absent", this.base.resolve("absent").toString())).isEmpty();
		assertThatExceptionOfType(ModelVersionNotFoundException.class)
			.isThrownBy(() -> repository.latest("absent", this.base.resolve("absent").toString()))
			.withMessageContaining("(the location does not exist)");
		assertThatExceptionOfType(ModelVersionNotFoundException.class)
			.isThrownBy(() -> repository.latest("scorer", this.base.resolve("empty").toString()))
			.withMessageContaining("(the location does not exist)");
		java.nio.file.Files.createDirectories(this.base.resolve("empty"));
		assertThatExceptionOfType(ModelVersionNotFoundException.class)
			.isThrownBy(() -> repository.latest("scorer", this.base.resolve("empty").toString()))
			.withMessageNotContaining("does not exist");
	}

	private static void write(JarOutputStream out, String name, byte[] bytes) throws Exception {
		out.putNextEntry(new JarEntry(name));
		OutputStream entry = out;
		entry.write(bytes);
		out.closeEntry();
	}

}
