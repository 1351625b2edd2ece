package io.github.modelregistry.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The one way tests set up model folders: a base folder laid out as the repository reads it
 * ({@code <base>/<model>/<version>/model.onnx}), written when the test class is initialised (so that a Spring Boot
 * test's properties can name it) and deleted, with everything the tests added to it, after the class's last test. A
 * shared suite's folders (a {@code static} field of an abstract test class) serve every class that extends it: each
 * finds the folders as they were declared, written again before its first test if an earlier class deleted them.
 * <pre>
 * &#64;RegisterExtension
 * static final ModelFolders MODELS = ModelFolders.create("grpc-models")
 *     .with("scorer", 1, TestModels.scorer(4, 0.5f))
 *     .with("typed", 1, TestModels.everyDatatype());
 * </pre>
 */
public final class ModelFolders implements BeforeAllCallback, AfterAllCallback {

	private final Path base;

	/** What {@link #with} and {@link #withFolder} declared, to write again for a later class. */
	private final List<Runnable> declared = new ArrayList<>();

	private ModelFolders(Path base) {
		this.base = base;
	}

	/**
	 * Creates an empty base folder in the temporary directory.
	 * @param prefix the start of the folder's name, to tell tests apart
	 */
	public static ModelFolders create(String prefix) {
		try {
			return new ModelFolders(Files.createTempDirectory(prefix));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Writes one version of a model, {@code <base>/<name>/<version>/model.onnx}.
	 * @return this, to write more
	 */
	public ModelFolders with(String name, long version, byte[] model) {
		Runnable declaration = () -> write(name, version, model);
		declaration.run();
		this.declared.add(declaration);
		return this;
	}

	/**
	 * Creates an empty folder under the base: a model folder with no version in it.
	 * @return this, to write more
	 */
	public ModelFolders withFolder(String name) {
		Runnable declaration = () -> {
			try {
				Files.createDirectories(this.base.resolve(name));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		};
		declaration.run();
		this.declared.add(declaration);
		return this;
	}

	/**
	 * Writes one version of a model, {@code <base>/<name>/<version>/model.onnx}, at any time (a test that adds a
	 * version while the registry serves).
	 * @return the version's folder
	 */
	public Path write(String name, long version, byte[] model) {
		return TestModels.write(this.base, name, version, model);
	}

	/**
	 * The base folder.
	 */
	public Path base() {
		return this.base;
	}

	/**
	 * The base folder as a {@code file:} location, for {@code model-registry.base-path}.
	 */
	public String baseLocation() {
		return "file:" + this.base;
	}

	/**
	 * A model's folder, {@code <base>/<name>}.
	 */
	public Path folder(String name) {
		return this.base.resolve(name);
	}

	@Override
	public void beforeAll(ExtensionContext context) throws IOException {
		if (!Files.exists(this.base)) {
			Files.createDirectories(this.base);
			this.declared.forEach(Runnable::run);
		}
	}

	@Override
	public void afterAll(ExtensionContext context) throws IOException {
		if (!Files.exists(this.base)) {
			return;
		}
		try (Stream<Path> files = Files.walk(this.base)) {
			for (Path file : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
				Files.deleteIfExists(file);
			}
		}
	}

}
