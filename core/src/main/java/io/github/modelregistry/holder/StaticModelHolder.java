package io.github.modelregistry.holder;

import java.util.function.Function;

/**
 * The {@code static} strategy: one model, loaded when the holder is built, held in a final field for the holder's
 * life. Publish and reload are refused.
 * <p>
 * It still counts its readers, in the same padded shards as {@code sharded-rcu}, because closing a native model
 * while a read is inside it crashes the JVM: {@link #close()} must be able to wait. A read increments its shard,
 * checks the volatile closed flag, runs, and decrements; close writes the flag and then waits for the count to
 * drain (the same store-load argument as in {@link TrackedModel}). So {@code static} measures the cost of reader
 * accounting without the version re-check of {@code sharded-rcu}; the benchmarks add a bare final-field read as
 * the floor below both.
 *
 * @param <M> the type of model
 */
final class StaticModelHolder<M extends AutoCloseable> extends AbstractModelHolder<M> {

	private final TrackedModel<M> model;

	StaticModelHolder(HolderContext<M> context, M model) {
		super(context);
		this.model = track(model, 1);
		markInstalled(1);
	}

	@Override
	public <R> R read(Function<? super M, ? extends R> fn) {
		TrackedModel<M> model = this.model;
		int shard = model.enter();
		try {
			if (isClosed()) {
				throw new HolderClosedException(strategy());
			}
			return fn.apply(model.model);
		}
		finally {
			model.exit(shard);
		}
	}

	@Override
	public void publish(M next) {
		closeUnused(next);
		throw new PublishRefusedException(strategy(),
				"it serves the model it was created with; choose another strategy to reload models at run time");
	}

	@Override
	public void reload() {
		throw new PublishRefusedException(strategy(),
				"it serves the model it was created with; choose another strategy to reload models at run time");
	}

	@Override
	public boolean unload() {
		throw new PublishRefusedException(strategy(),
				"it serves the model it was created with for as long as it lives; choose another strategy to unload it");
	}

	@Override
	protected boolean hasModel() {
		return !isClosed();
	}

	@Override
	protected void swap(M next, long generation) {
		throw new IllegalStateException("static never swaps");
	}

	@Override
	protected void uninstall() {
		retire(this.model);
	}

	@Override
	protected long inFlightReads() {
		return this.model.readers();
	}

}
