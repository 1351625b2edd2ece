package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.VersionPolicy;
import org.jspecify.annotations.Nullable;

/**
 * What the registry serves under one name.
 *
 * @param name the model name, as requests use it
 * @param location the folder holding the model's version folders
 * @param policy which versions to serve; unversioned requests go to the highest
 * @param strategy how the model is held
 * @param load when the model is loaded
 * @param pollInterval how often to scan the location for versions to load and retire, or {@code null} not to
 * @param warmup whether to run warm-up requests through a version before it serves
 * @param evictable whether the registry may unload the model, when it has no request in flight and another load
 * needs room in the memory budget; its next request loads it again. Only a {@link LoadMode#LAZY lazy} model held by a
 * strategy that holds and replaces its model can be evictable: an eager or background model is meant to be ready
 * before its first request.
 */
public record ModelDefinition(String name, String location, VersionPolicy policy, HolderStrategy strategy,
		LoadMode load, @Nullable Duration pollInterval, boolean warmup, boolean evictable) {

	public ModelDefinition {
		ModelRepository.requireValidName(name);
		Objects.requireNonNull(location, "location");
		Objects.requireNonNull(policy, "policy");
		Objects.requireNonNull(strategy, "strategy");
		Objects.requireNonNull(load, "load");
		if (pollInterval != null && (pollInterval.isNegative() || pollInterval.isZero())) {
			throw new IllegalArgumentException("Poll interval of model '" + name + "' must be positive");
		}
		String notEvictable = evictable ? whyNotEvictable(name, strategy, load) : null;
		if (notEvictable != null) {
			throw new IllegalArgumentException(notEvictable);
		}
	}

	/**
	 * Says why a model cannot be evictable, or returns {@code null} if it can: only a lazy model held by a strategy
	 * that unloads ({@link HolderStrategy#unloads()}) is, since its next request loads it again.
	 */
	static @Nullable String whyNotEvictable(String name, HolderStrategy strategy, LoadMode load) {
		if (load != LoadMode.LAZY) {
			return "Model '" + name + "' is evictable but loads " + load.name().toLowerCase(java.util.Locale.ROOT)
					+ ": only lazy models are unloaded to make room, since their next request loads them again";
		}
		if (!strategy.unloads()) {
			return "Model '" + name + "' is evictable but uses the " + strategy + " strategy, which "
					+ (strategy.holdsModel() ? "cannot unload its model" : "holds no model")
					+ ": choose sharded-rcu, rwlock or mutex";
		}
		return null;
	}

	/**
	 * A model the registry never unloads to make room.
	 */
	public ModelDefinition(String name, String location, VersionPolicy policy, HolderStrategy strategy,
			LoadMode load, @Nullable Duration pollInterval, boolean warmup) {
		this(name, location, policy, strategy, load, pollInterval, warmup, false);
	}

	/**
	 * A model serving one version, the given one or the highest found, without polling, with warm-up.
	 */
	public ModelDefinition(String name, String location, @Nullable Long version, HolderStrategy strategy,
			LoadMode load) {
		this(name, location, (version != null) ? VersionPolicy.specific(List.of(version)) : VersionPolicy.LATEST,
				strategy, load, null, true);
	}

	/**
	 * A model serving the highest version found under its location, held by the default strategy
	 * ({@link HolderStrategy#SHARDED_RCU}), loaded when the registry starts, warmed up, not polled.
	 * @param name the model name
	 * @param location the folder holding its version folders
	 * @return the definition
	 */
	public static ModelDefinition of(String name, String location) {
		return new ModelDefinition(name, location, (Long) null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER);
	}

	/**
	 * Starts a definition of a model whose version folders are under the location: the highest version, held by the
	 * default strategy ({@link HolderStrategy#SHARDED_RCU}), loaded when the registry starts, warmed up, not polled,
	 * never evicted, until the builder says otherwise.
	 * @param name the model name
	 * @param location the folder holding its version folders
	 * @return the builder
	 */
	public static Builder builder(String name, String location) {
		return new Builder(name, location);
	}

	/**
	 * Builds a {@link ModelDefinition} by naming what differs from the defaults.
	 */
	public static final class Builder {

		private final String name;

		private final String location;

		private VersionPolicy policy = VersionPolicy.LATEST;

		private HolderStrategy strategy = HolderStrategy.SHARDED_RCU;

		private LoadMode load = LoadMode.EAGER;

		private @Nullable Duration pollInterval;

		private boolean warmup = true;

		private boolean evictable;

		private Builder(String name, String location) {
			this.name = name;
			this.location = location;
		}

		/**
		 * Serves this version only.
		 */
		public Builder version(long version) {
			return versionPolicy(VersionPolicy.specific(List.of(version)));
		}

		/**
		 * Serves the versions the policy picks (the latest n, or specific ones).
		 */
		public Builder versionPolicy(VersionPolicy policy) {
			this.policy = policy;
			return this;
		}

		/**
		 * Holds the model with this strategy.
		 */
		public Builder strategy(HolderStrategy strategy) {
			this.strategy = strategy;
			return this;
		}

		/**
		 * Loads the model at start-up ({@link LoadMode#EAGER}), in the background, or on its first request.
		 */
		public Builder load(LoadMode load) {
			this.load = load;
			return this;
		}

		/**
		 * Scans the location this often for versions to load and retire.
		 */
		public Builder pollInterval(Duration pollInterval) {
			this.pollInterval = pollInterval;
			return this;
		}

		/**
		 * Whether warm-up requests run through a version before it serves.
		 */
		public Builder warmup(boolean warmup) {
			this.warmup = warmup;
			return this;
		}

		/**
		 * Whether the registry may unload the (lazy) model to make room in its memory budget.
		 */
		public Builder evictable(boolean evictable) {
			this.evictable = evictable;
			return this;
		}

		/**
		 * Returns the definition.
		 * @throws IllegalArgumentException if the name is not a folder name, or the settings do not go together
		 */
		public ModelDefinition build() {
			return new ModelDefinition(this.name, this.location, this.policy, this.strategy, this.load,
					this.pollInterval, this.warmup, this.evictable);
		}

	}

}
