package io.github.modelregistry.registry;

/**
 * The model itself failed to run a request that fitted its signature: the runtime threw. The only kind of failure,
 * with time-outs and unavailable models, that counts against the model's circuit breaker.
 */
public class ModelFailedException extends ModelRegistryException {

	public ModelFailedException(String message, Throwable cause) {
		super(message, cause, null);
	}

}
