package io.github.modelregistry.registry;

/**
 * A model that must load when the registry starts could not be loaded.
 */
public class ModelLoadFailedException extends ModelRegistryException {

	private final String model;

	private final String location;

	public ModelLoadFailedException(String model, String location, Throwable cause) {
		super("Model '" + model + "' could not be loaded from " + location + ": " + cause.getMessage(), cause, null);
		this.model = model;
		this.location = location;
	}

	public String getModel() {
		return this.model;
	}

	public String getLocation() {
		return this.location;
	}

}
