package io.github.modelregistry.registry;

/**
 * A model to register was described with something the registry refuses before it reads anything: a name that is
 * not a folder inside the base path ({@link InvalidModelNameException}), or an option the model's strategy cannot
 * keep (evictable under a strategy that never unloads). Nothing changed.
 */
public class InvalidRegistrationException extends ModelRegistryException {

	public InvalidRegistrationException(String message) {
		super(message, null, null);
	}

	@Override
	public boolean isClientFault() {
		return true;
	}

}
