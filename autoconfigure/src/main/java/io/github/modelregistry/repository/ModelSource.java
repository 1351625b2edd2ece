package io.github.modelregistry.repository;

import java.io.IOException;
import java.nio.file.Path;

import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * One version of a model in a repository: the {@code model.onnx} of one version folder.
 *
 * @param model the model name
 * @param version the version, a positive integer
 * @param resource the model file
 */
public record ModelSource(String model, long version, Resource resource) {

	/**
	 * Returns the model file as a path if it is on the file system, or {@code null} if it is inside a jar (then read
	 * its {@link #bytes()}).
	 */
	public @Nullable Path file() {
		if (!this.resource.isFile()) {
			return null;
		}
		try {
			return this.resource.getFile().toPath();
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Reads the whole model file.
	 */
	public byte[] bytes() throws IOException {
		return this.resource.getContentAsByteArray();
	}

	/**
	 * Returns where the file is, for logs and reports.
	 */
	public String description() {
		try {
			return this.resource.getURI().toString();
		}
		catch (IOException ex) {
			return this.resource.getDescription();
		}
	}

}
