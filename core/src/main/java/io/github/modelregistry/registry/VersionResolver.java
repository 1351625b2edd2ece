package io.github.modelregistry.registry;

import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.function.Supplier;

import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.ModelVersionNotFoundException;
import io.github.modelregistry.repository.VersionPolicy;
import org.jspecify.annotations.Nullable;

/**
 * Finds which version of one model to load: the one a request names, else the one an operator pinned with a
 * reload, else the highest one the model's version policy wants among those in its location.
 */
final class VersionResolver {

	private final ModelDefinition definition;

	private final ModelRepository repository;

	/** A version an operator reloaded to explicitly; polls keep to it until a reload without a version. */
	private volatile @Nullable Long pinned;

	/** Lists the model's location, remembering what it found (so that a reload lists it once, not twice). */
	private final Supplier<NavigableMap<Long, ModelSource>> listing;

	VersionResolver(ModelDefinition definition, ModelRepository repository,
			Supplier<NavigableMap<Long, ModelSource>> listing) {
		this.definition = definition;
		this.repository = repository;
		this.listing = listing;
	}

	/**
	 * Finds the version to load: {@code requested}, else (if {@code usePin}) the pinned one, else the highest the
	 * policy wants.
	 * @throws ModelVersionNotFoundException if there is no such version, or none the policy wants
	 */
	ModelSource resolve(@Nullable Long requested, boolean usePin) {
		Long version = (requested != null) ? requested : usePin ? this.pinned : null;
		String name = this.definition.name();
		String location = this.definition.location();
		if (version != null) {
			return this.repository.version(name, location, version);
		}
		NavigableMap<Long, ModelSource> available = this.listing.get();
		NavigableSet<Long> wanted = this.definition.policy().select(available.navigableKeySet());
		if (wanted.isEmpty()) {
			if (available.isEmpty()) {
				// Let the repository say what is missing, and where
				return this.repository.latest(name, location);
			}
			throw new ModelVersionNotFoundException("No version of model '" + name + "' in " + location
					+ " matches its version policy (" + this.definition.policy() + "); available versions are "
					+ available.keySet());
		}
		return available.get(wanted.last());
	}

	/**
	 * Returns the policy polls apply: the pinned version if there is one, else the model's.
	 */
	VersionPolicy policy() {
		Long pinned = this.pinned;
		return (pinned != null) ? VersionPolicy.specific(java.util.List.of(pinned)) : this.definition.policy();
	}

	/**
	 * Pins a version (a reload that named one), or unpins with {@code null}.
	 */
	void pin(@Nullable Long version) {
		this.pinned = version;
	}

	/**
	 * Describes the policy for status: the pin, or the model's policy.
	 */
	String describe() {
		Long pinned = this.pinned;
		return (pinned != null) ? "pinned to " + pinned + " by a reload" : this.definition.policy().toString();
	}

}
