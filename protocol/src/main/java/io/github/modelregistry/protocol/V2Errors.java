package io.github.modelregistry.protocol;

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

/**
 * The V2 REST faces' one table from the registry's exception family to HTTP statuses, following TensorFlow
 * Serving's mapping: invalid argument 400, not found 404, resource exhausted 429, unavailable 503, deadline
 * exceeded 504. Anything else is a 500 whose message names only the exception's type and message, never a stack
 * trace; it is logged once.
 */
public final class V2Errors {

	private static final Logger logger = LoggerFactory.getLogger(V2Errors.class);

	/** Most specific first: the first entry the failure is an instance of wins. */
	private static final Map<Class<? extends ModelRegistryException>, Integer> STATUSES = new LinkedHashMap<>();

	static {
		STATUSES.put(InvalidInferenceRequestException.class, 400);
		STATUSES.put(ModelVersionNotServedException.class, 404);
		STATUSES.put(ModelNotFoundException.class, 404);
		STATUSES.put(ModelOverloadedException.class, 429);
		STATUSES.put(ModelUnavailableException.class, 503);
		STATUSES.put(InferenceTimeoutException.class, 504);
		STATUSES.put(ModelFailedException.class, 500);
		// Reaches a face only from a registration the caller asked for: what it named does not load
		STATUSES.put(ModelLoadFailedException.class, 422);
		STATUSES.put(InvalidRegistrationException.class, 400);
		STATUSES.put(ModelMemoryExceededException.class, 507);
		STATUSES.put(ModelAlreadyRegisteredException.class, 409);
	}

	private V2Errors() {
	}

	/**
	 * Returns the answer to a failure: the protocol's own, the registry's through the table, or a 500.
	 * @param failure what failed
	 * @return the status and message to answer with
	 */
	public static V2Exception of(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof V2Exception v2) {
			return v2;
		}
		if (cause instanceof ModelRegistryException registry) {
			int status = statusOf(registry);
			if (status >= 500 && !(registry instanceof ModelUnavailableException)) {
				logger.warn("Inference failed: {}", registry.getMessage());
			}
			return new V2Exception(status, String.valueOf(registry.getMessage()), registry.getRetryAfter());
		}
		logger.error("Inference request failed", cause);
		return new V2Exception(500, "Inference failed: " + cause.getClass().getSimpleName()
				+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""));
	}

	/**
	 * Returns the HTTP status of one of the registry's exceptions.
	 * @param failure the exception
	 * @return its status
	 */
	public static int statusOf(ModelRegistryException failure) {
		for (Map.Entry<Class<? extends ModelRegistryException>, Integer> entry : STATUSES.entrySet()) {
			if (entry.getKey().isInstance(failure)) {
				return entry.getValue();
			}
		}
		return 500;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof java.util.concurrent.CompletionException
				|| current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

	/**
	 * Returns a {@code Retry-After} header's value, in whole seconds and at least one, or {@code null} for none.
	 * @param retryAfter how long to wait, or {@code null}
	 * @return the header's value, or {@code null}
	 */
	public static @Nullable String retryAfterSeconds(@Nullable Duration retryAfter) {
		return (retryAfter != null) ? Long.toString(Math.max(1, retryAfter.toSeconds())) : null;
	}

}
