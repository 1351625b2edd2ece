package io.github.modelregistry.registry;

/**
 * A request named a version of a model that is not served (not loaded, retired, or never there).
 */
public class ModelVersionNotServedException extends ModelNotFoundException {

	private final long version;

	public ModelVersionNotServedException(String model, long version, Object served) {
		super("Version " + version + " of model '" + model + "' is not served; served: " + served);
		this.version = version;
	}

	/**
	 * Returns the version asked for.
	 */
	public long getVersion() {
		return this.version;
	}

}
