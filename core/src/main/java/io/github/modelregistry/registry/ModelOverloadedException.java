package io.github.modelregistry.registry;

import java.time.Duration;

/**
 * A model is already running as many inferences as it may (its bulkhead is full), or too many inferences are
 * waiting for a thread. Refused at once, never after a wait; worth retrying after {@link #getRetryAfter()}.
 */
public class ModelOverloadedException extends ModelRegistryException {

	public ModelOverloadedException(String message, Duration retryAfter) {
		super(message, null, retryAfter);
	}

}
