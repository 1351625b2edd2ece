package io.github.modelregistry.registry;

import java.util.Objects;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.repository.ModelRepository;
import org.jspecify.annotations.Nullable;

/**
 * What the registry serves under one name.
 *
 * @param name the model name, as requests use it
 * @param location the folder holding the model's version folders
 * @param version the version to serve, or {@code null} for the highest found
 * @param strategy how the model is held
 * @param load when the model is loaded
 */
public record ModelDefinition(String name, String location, @Nullable Long version, HolderStrategy strategy,
		LoadMode load) {

	public ModelDefinition {
		ModelRepository.requireValidName(name);
		Objects.requireNonNull(location, "location");
		Objects.requireNonNull(strategy, "strategy");
		Objects.requireNonNull(load, "load");
		if (version != null && version < 1) {
			throw new IllegalArgumentException("Version of model '" + name + "' must be positive, was " + version);
		}
	}

}
