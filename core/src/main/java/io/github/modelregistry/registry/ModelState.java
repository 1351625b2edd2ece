package io.github.modelregistry.registry;

/**
 * Whether a model can serve, in the registry's words.
 */
public enum ModelState {

	/** Nothing loaded yet; a lazy model loads on its first request. */
	EMPTY,

	/** The first load is running; requests wait for it. */
	LOADING,

	/** A version serves (for {@code per-request}: the last load succeeded). */
	AVAILABLE,

	/** No version serves because the last load failed; the next request, reload or poll tries again. */
	FAILED,

	/** The registry closed the model. */
	CLOSED

}
