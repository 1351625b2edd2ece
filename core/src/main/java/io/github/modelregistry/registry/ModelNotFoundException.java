package io.github.modelregistry.registry;

/**
 * A request named a model the registry does not serve.
 */
public class ModelNotFoundException extends ModelRegistryException {

	public ModelNotFoundException(String message) {
		super(message, null, null);
	}

	/**
	 * Says that no model has the given name, and which are served: the one wording of an unknown model, for the
	 * registry and every face that checks a name before it calls the registry.
	 * @param model the name asked for
	 * @param served the names served
	 */
	public static ModelNotFoundException unknown(String model, java.util.Collection<String> served) {
		return new ModelNotFoundException("Unknown model '" + model + "'; models served: " + String.join(", ", served));
	}

	@Override
	public boolean isClientFault() {
		return true;
	}

}
