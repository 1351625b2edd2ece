package io.github.modelregistry.registry;

/**
 * When a model is loaded.
 */
public enum LoadMode {

	/** At start-up: the application does not start if the model cannot be loaded. */
	EAGER,

	/**
	 * On the first request (single-flight): the application starts even if the model cannot be loaded, and the
	 * model reports its failure until a request or reload loads it. {@code static} always loads at start-up.
	 */
	LAZY

}
