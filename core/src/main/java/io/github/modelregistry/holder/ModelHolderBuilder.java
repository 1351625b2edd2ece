package io.github.modelregistry.holder;

import java.util.Objects;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ModelHolder} of a given {@link HolderStrategy}.
 * <p>
 * A holder built with a {@link #loader(ModelLoader) loader} and no {@link #initialModel(AutoCloseable) initial model}
 * is lazy: its first read loads (single-flight), or {@link ModelHolder#reload()} loads eagerly. {@code static} loads
 * when built, and fails the build if that load fails; {@code per-request} requires a loader and holds no model.
 *
 * @param <M> the type of model
 */
public final class ModelHolderBuilder<M extends AutoCloseable> {

	private final HolderStrategy strategy;

	private @Nullable ModelLoader<? extends M> loader;

	private @Nullable M initialModel;

	private int shards = defaultShards();

	private Executor retirementExecutor = Runnable::run;

	private HolderListener listener = HolderListener.NONE;

	ModelHolderBuilder(HolderStrategy strategy) {
		this.strategy = Objects.requireNonNull(strategy, "strategy");
	}

	/**
	 * Sets how the holder loads a model: on a lazy first read, on {@link ModelHolder#reload()}, and on every read
	 * for {@code per-request}.
	 * @param loader the loader
	 * @return this builder
	 */
	public ModelHolderBuilder<M> loader(ModelLoader<? extends M> loader) {
		this.loader = Objects.requireNonNull(loader, "loader");
		return this;
	}

	/**
	 * Sets a model that serves from the start. Not allowed for {@code per-request}, which holds no model.
	 * @param model the model, owned by the holder from now on
	 * @return this builder
	 */
	public ModelHolderBuilder<M> initialModel(M model) {
		this.initialModel = Objects.requireNonNull(model, "model");
		return this;
	}

	/**
	 * Sets the number of reader shards for {@code sharded-rcu} and {@code static}, rounded up to a power of two.
	 * Defaults to the smallest power of two at least the number of available processors.
	 * @param shards the number of shards, at least 1
	 * @return this builder
	 */
	public ModelHolderBuilder<M> shards(int shards) {
		if (shards < 1 || shards > (1 << 16)) {
			throw new IllegalArgumentException("shards must be between 1 and 65536, was " + shards);
		}
		this.shards = ceilingPowerOfTwo(shards);
		return this;
	}

	/**
	 * Sets where replaced models are closed once drained. Defaults to the thread that observes the drain: the
	 * publisher when no reader was inside the old model, otherwise the last reader to leave it. Give an executor
	 * when closing is slow (a large native session) and should stay off the request path.
	 * @param executor the executor for closing replaced models
	 * @return this builder
	 */
	public ModelHolderBuilder<M> retirementExecutor(Executor executor) {
		this.retirementExecutor = Objects.requireNonNull(executor, "executor");
		return this;
	}

	/**
	 * Sets who is told about loads, publishes and retirements.
	 * @param listener the listener
	 * @return this builder
	 */
	public ModelHolderBuilder<M> listener(HolderListener listener) {
		this.listener = Objects.requireNonNull(listener, "listener");
		return this;
	}

	/**
	 * Builds the holder.
	 * @return the holder
	 * @throws IllegalStateException if the strategy needs a loader or an initial model that was not given
	 * @throws ModelLoadException if the strategy loads when built ({@code static}) and the load failed
	 */
	public ModelHolder<M> build() {
		HolderContext<M> context = new HolderContext<>(this.strategy, this.loader, this.listener,
				this.retirementExecutor, this.shards);
		M initial = this.initialModel;
		return switch (this.strategy) {
			case SHARDED_RCU -> withInitialModel(new ShardedRcuModelHolder<>(context), initial);
			case RWLOCK -> withInitialModel(new ReadWriteLockModelHolder<>(context), initial);
			case MUTEX -> withInitialModel(new MutexModelHolder<>(context), initial);
			case STATIC -> new StaticModelHolder<>(context, (initial != null) ? initial : loadStatic(context));
			case PER_REQUEST -> {
				if (initial != null) {
					throw new IllegalStateException("The per-request strategy holds no model: give it a loader, "
							+ "not an initial model");
				}
				yield new PerRequestModelHolder<>(context);
			}
		};
	}

	private static <M extends AutoCloseable> ModelHolder<M> withInitialModel(AbstractModelHolder<M> holder,
			@Nullable M initial) {
		if (initial != null) {
			holder.publish(initial);
		}
		return holder;
	}

	private static <M extends AutoCloseable> M loadStatic(HolderContext<M> context) {
		ModelLoader<? extends M> loader = context.loader();
		if (loader == null) {
			throw new IllegalStateException("The static strategy needs an initial model or a loader");
		}
		return context.load(loader);
	}

	static int defaultShards() {
		return ceilingPowerOfTwo(Runtime.getRuntime().availableProcessors());
	}

	private static int ceilingPowerOfTwo(int value) {
		return (value <= 1) ? 1 : Integer.highestOneBit(value - 1) << 1;
	}

}
