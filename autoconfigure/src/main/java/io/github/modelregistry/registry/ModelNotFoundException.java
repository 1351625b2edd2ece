package io.github.modelregistry.registry;

/**
 * A request named a model the registry does not serve.
 */
public class ModelNotFoundException extends ModelRegistryException {

	public ModelNotFoundException(String message) {
		super(message, null, null);
	}

	@Override
	public boolean isClientFault() {
		return true;
	}

}
