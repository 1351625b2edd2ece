package io.github.modelregistry.holder;

import java.util.function.Function;

/**
 * Holds a shared, closeable, read-mostly model (an ONNX Runtime session, a routing table, a configuration) for many
 * concurrent readers, and replaces it at run time.
 * <p>
 * Every strategy keeps these invariants, each proved by {@code ModelHolderContractTests} against all of them:
 * <ol>
 * <li>No read ever runs on a closed model, and every replaced model is closed exactly once.</li>
 * <li>A thread that has seen generation {@code k} never sees a generation below {@code k} afterwards.</li>
 * <li>Lazy loading is single-flight: concurrent first reads cause one load.</li>
 * <li>A failed load or reload leaves the previous model serving; the failure is reported in {@link #state()}, not
 * thrown at later readers.</li>
 * <li>{@link #close()} waits for in-flight readers, then closes the model.</li>
 * </ol>
 * Strategies that never replace their model ({@link HolderStrategy#STATIC static}, {@link HolderStrategy#PER_REQUEST
 * per-request}) refuse {@link #publish} with a {@link PublishRefusedException}.
 *
 * @param <M> the type of model
 */
public interface ModelHolder<M extends AutoCloseable> extends AutoCloseable {

	/**
	 * Runs {@code fn} with the current model, loading it first if the holder is lazy and empty. The model cannot be
	 * closed while {@code fn} runs, so {@code fn} must not let it escape.
	 * @param fn what to do with the model
	 * @param <R> the type of result
	 * @return what {@code fn} returned
	 * @throws ModelUnavailableException if there is no model to read: the load failed (its cause says why), nothing
	 * was published, or the holder is closed
	 */
	<R> R read(Function<? super M, ? extends R> fn);

	/**
	 * Makes {@code next} the model that later reads see. The replaced model is closed after its last reader leaves,
	 * possibly after this method returns; {@link #close()} waits for it. The holder owns {@code next} from the call
	 * on, even when the call throws: a refused model is closed.
	 * @param next the new model
	 * @throws PublishRefusedException if the strategy never replaces its model
	 * @throws HolderClosedException if the holder is closed
	 */
	void publish(M next);

	/**
	 * Loads a new model with the holder's loader and publishes it; on an empty holder this is an eager load. If the
	 * loader fails, the previous model keeps serving.
	 * @throws ModelLoadException if the loader failed
	 * @throws PublishRefusedException if the strategy never replaces its model
	 * @throws IllegalStateException if the holder was built without a loader
	 */
	void reload();

	/**
	 * Unloads the model serving now and leaves the holder empty, as a lazy holder starts: the next read loads a model
	 * through the holder's loader, one load for all the readers that find it empty. Reads already inside the model
	 * finish on it; it closes once the last of them has left, before this method returns. The registry unloads a
	 * model this way to make room in its memory budget.
	 * @return whether a model was unloaded: {@code false} if the holder was empty (never loaded, or unloaded
	 * already), closed, or holds no model between reads ({@code per-request})
	 * @throws PublishRefusedException if the strategy never replaces its model ({@code static})
	 * @throws IllegalStateException if the holder was built without a loader, so that nothing could load again
	 */
	boolean unload();

	/**
	 * Returns what the holder serves and what it has done.
	 * @return a snapshot of the holder
	 */
	HolderState state();

	/**
	 * Returns how this holder holds its model.
	 * @return the strategy
	 */
	HolderStrategy strategy();

	/**
	 * Refuses new reads, waits for in-flight reads and for replaced models still draining, then closes the model.
	 * Idempotent.
	 */
	@Override
	void close();

	/**
	 * Starts building a holder.
	 * @param strategy how the holder holds its model
	 * @param <M> the type of model
	 * @return a builder
	 */
	static <M extends AutoCloseable> ModelHolderBuilder<M> builder(HolderStrategy strategy) {
		return new ModelHolderBuilder<>(strategy);
	}

}
