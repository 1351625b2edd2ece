package io.github.modelregistry.registry;

/**
 * A request named a model the registry does not serve, or a version it does not serve. The web layer answers 404.
 */
public class ModelNotFoundException extends RuntimeException {

	public ModelNotFoundException(String message) {
		super(message);
	}

}
