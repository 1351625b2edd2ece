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

}
