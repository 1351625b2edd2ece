package io.github.modelregistry.web;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.modelregistry.registry.InferenceTimeoutException;
import io.github.modelregistry.registry.InvalidInferenceRequestException;
import io.github.modelregistry.registry.InvalidRegistrationException;
import io.github.modelregistry.registry.ModelAlreadyRegisteredException;
import io.github.modelregistry.registry.ModelFailedException;
import io.github.modelregistry.registry.ModelLoadFailedException;
import io.github.modelregistry.registry.ModelMemoryExceededException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.registry.ModelOverloadedException;
import io.github.modelregistry.registry.ModelRegistryException;
import io.github.modelregistry.registry.ModelUnavailableException;
import io.github.modelregistry.registry.ModelVersionNotServedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpStatus;

/**
 * The V2 REST face's one table from the registry's exception family to HTTP statuses, following TensorFlow
 * Serving's mapping: invalid argument 400, not found 404, resource exhausted 429, unavailable 503, deadline
 * exceeded 504. Anything else is a 500 whose message names only the exception's type and message, never a stack
 * trace; it is logged once.
 */
final class V2Errors {

	private static final Logger logger = LoggerFactory.getLogger(V2Errors.class);

	/** Most specific first: the first entry the failure is an instance of wins. */
	private static final Map<Class<? extends ModelRegistryException>, HttpStatus> STATUSES = new LinkedHashMap<>();

	static {
		STATUSES.put(InvalidInferenceRequestException.class, HttpStatus.BAD_REQUEST);
		STATUSES.put(ModelVersionNotServedException.class, HttpStatus.NOT_FOUND);
		STATUSES.put(ModelNotFoundException.class, HttpStatus.NOT_FOUND);
		STATUSES.put(ModelOverloadedException.class, HttpStatus.TOO_MANY_REQUESTS);
		STATUSES.put(ModelUnavailableException.class, HttpStatus.SERVICE_UNAVAILABLE);
		STATUSES.put(InferenceTimeoutException.class, HttpStatus.GATEWAY_TIMEOUT);
		STATUSES.put(ModelFailedException.class, HttpStatus.INTERNAL_SERVER_ERROR);
		// Reaches a face only from a registration the caller asked for: what it named does not load
		STATUSES.put(ModelLoadFailedException.class, HttpStatus.UNPROCESSABLE_CONTENT);
		STATUSES.put(InvalidRegistrationException.class, HttpStatus.BAD_REQUEST);
		STATUSES.put(ModelMemoryExceededException.class, HttpStatus.INSUFFICIENT_STORAGE);
		STATUSES.put(ModelAlreadyRegisteredException.class, HttpStatus.CONFLICT);
	}

	private V2Errors() {
	}

	/**
	 * Returns the answer to a failure: the protocol's own, the registry's through the table, or a 500.
	 */
	static V2Exception of(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof V2Exception v2) {
			return v2;
		}
		if (cause instanceof ModelRegistryException registry) {
			HttpStatus status = statusOf(registry);
			if (status.is5xxServerError() && !(registry instanceof ModelUnavailableException)) {
				logger.warn("Inference failed: {}", registry.getMessage());
			}
			return new V2Exception(status, String.valueOf(registry.getMessage()), registry.getRetryAfter());
		}
		logger.error("Inference request failed", cause);
		return new V2Exception(HttpStatus.INTERNAL_SERVER_ERROR, "Inference failed: " + cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""));
	}

	static HttpStatus statusOf(ModelRegistryException failure) {
		for (Map.Entry<Class<? extends ModelRegistryException>, HttpStatus> entry : STATUSES.entrySet()) {
			if (entry.getKey().isInstance(failure)) {
				return entry.getValue();
			}
		}
		return HttpStatus.INTERNAL_SERVER_ERROR;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof java.util.concurrent.CompletionException
				|| current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	static @Nullable String retryAfterSeconds(@Nullable Duration retryAfter) {
		return (retryAfter != null) ? Long.toString(Math.max(1, retryAfter.toSeconds())) : null;
	}

}
