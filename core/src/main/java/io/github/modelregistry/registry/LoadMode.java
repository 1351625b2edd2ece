package io.github.modelregistry.registry;

/**
 * When a model is loaded.
 */
public enum LoadMode {

	/** At start-up, before the application serves: the application does not start if the model cannot load. */
	EAGER,

	/**
	 * At start-up, on the registry's loader thread, without holding the start back: readiness stays down until the
	 * model is available, and a failed load is retried at the registry's retry interval. For models that take long
	 * to load, or whose storage may not be there yet when the pod starts.
	 */
	BACKGROUND,

	/**
	 * On the first request (single-flight): the application starts even if the model cannot be loaded, and the
	 * model reports its failure until a request or reload loads it. Lazy models do not hold readiness back.
	 * {@code static} always loads at start-up.
	 */
	LAZY

}
