package io.github.modelregistry.holder;

/**
 * Creates a model. A holder calls it for lazy first reads, {@link ModelHolder#reload() reloads} and, with the
 * {@link HolderStrategy#PER_REQUEST per-request} strategy, on every read.
 *
 * @param <M> the type of model
 */
@FunctionalInterface
public interface ModelLoader<M extends AutoCloseable> {

	/**
	 * Loads a new model, owned by the caller from then on.
	 * @return the model, never {@code null}
	 * @throws Exception if the model cannot be loaded
	 */
	M load() throws Exception;

}
