package io.github.modelregistry.holder;

/**
 * Thrown by {@link ModelHolder#reload()} when the loader fails. The model that was serving before keeps serving.
 */
public class ModelLoadException extends RuntimeException {

	public ModelLoadException(String message, Throwable cause) {
		super(message, cause);
	}

}
