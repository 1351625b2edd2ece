package io.github.modelregistry.registry;

/**
 * An asynchronous inference did not finish within the model's time limit. The caller is answered at once; the
 * runtime cannot be interrupted, so the inference finishes in the background and keeps its permit until it does.
 */
public class InferenceTimeoutException extends ModelRegistryException {

	public InferenceTimeoutException(String message) {
		super(message, null, null);
	}

}
