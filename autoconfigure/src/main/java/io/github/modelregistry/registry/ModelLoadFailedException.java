package io.github.modelregistry.registry;

/**
 * A model that must load at start-up could not be loaded.
 */
public class ModelLoadFailedException extends RuntimeException {

	private final String model;

	private final String location;

	public ModelLoadFailedException(String model, String location, Throwable cause) {
		super("Model '" + model + "' could not be loaded from " + location + ": " + cause.getMessage(), cause);
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
