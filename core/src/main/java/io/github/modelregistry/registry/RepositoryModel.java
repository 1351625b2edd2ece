package io.github.modelregistry.registry;

import org.jspecify.annotations.Nullable;

/**
 * A model of the repository index: found under the base path, served, or both.
 *
 * @param name the model name
 * @param version the version serving unversioned requests, or {@code null} when none does
 * @param state what the model is doing, or {@code null} when it is not served (its folder is there, not loaded)
 */
public record RepositoryModel(String name, @Nullable Long version, @Nullable ModelState state) {

	/**
	 * Whether the model is served and can answer now.
	 */
	public boolean ready() {
		return this.state == ModelState.AVAILABLE;
	}

}
