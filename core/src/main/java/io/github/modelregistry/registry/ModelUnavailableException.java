package io.github.modelregistry.registry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * A model cannot serve now: it is not loaded and its load failed, the registry is closing, or its circuit breaker
 * is open after the model failed too often (then {@link #getRetryAfter()} says when to try again).
 */
public class ModelUnavailableException extends ModelRegistryException {

	public ModelUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause, null);
	}

	public ModelUnavailableException(String message, Duration retryAfter) {
		super(message, null, retryAfter);
	}

}
