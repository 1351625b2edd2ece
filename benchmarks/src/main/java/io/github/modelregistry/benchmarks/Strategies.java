package io.github.modelregistry.benchmarks;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.holder.ModelHolder;

/**
 * The strategy values the benchmarks run, and holders of {@link FakeModel}s built the way the registry builds them.
 */
public final class Strategies {

	/** Every strategy, as users write it in {@code model-registry.strategy}. */
	public static final List<String> ALL = List.of("sharded-rcu", "rwlock", "mutex", "static", "per-request");

	private Strategies() {
	}

	/**
	 * Builds a holder that serves a fake model from the start ({@code per-request} loads a new one for every read).
	 * @param strategy a strategy value such as {@code sharded-rcu}
	 * @return the holder
	 */
	public static ModelHolder<FakeModel> fakeHolder(String strategy) {
		return fakeHolder(strategy, 0);
	}

	/**
	 * Builds a holder as {@link #fakeHolder(String)} does, with a given number of reader shards.
	 * @param strategy a strategy value such as {@code sharded-rcu}
	 * @param shards reader shards of {@code sharded-rcu} and {@code static}; 0 for the default (the number of
	 * cores, rounded up to a power of two)
	 * @return the holder
	 */
	public static ModelHolder<FakeModel> fakeHolder(String strategy, int shards) {
		HolderStrategy holderStrategy = HolderStrategy.fromValue(strategy);
		AtomicLong generations = new AtomicLong();
		var builder = ModelHolder.<FakeModel>builder(holderStrategy)
			.loader(() -> new FakeModel(generations.incrementAndGet()));
		if (shards > 0) {
			builder.shards(shards);
		}
		if (holderStrategy != HolderStrategy.PER_REQUEST) {
			builder.initialModel(new FakeModel(generations.incrementAndGet()));
		}
		return builder.build();
	}

	/**
	 * Whether a holder of this strategy accepts {@code publish}: {@code static} and {@code per-request} refuse it.
	 * @param strategy a strategy value
	 * @return whether the strategy replaces models at run time
	 */
	public static boolean publishes(String strategy) {
		HolderStrategy holderStrategy = HolderStrategy.fromValue(strategy);
		return holderStrategy != HolderStrategy.STATIC && holderStrategy != HolderStrategy.PER_REQUEST;
	}

}
