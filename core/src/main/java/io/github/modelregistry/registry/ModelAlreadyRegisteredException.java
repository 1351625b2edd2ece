package io.github.modelregistry.registry;

/**
 * A model was registered under a name that is served already, or is being registered by another caller now.
 * Nothing changed; the model of that name, if any, goes on serving.
 */
public class ModelAlreadyRegisteredException extends ModelRegistryException {

	public ModelAlreadyRegisteredException(String model) {
		super("Model '" + model + "' is already registered (or being registered now): unregister it first", null,
				null);
	}

	@Override
	public boolean isClientFault() {
		return true;
	}

}
