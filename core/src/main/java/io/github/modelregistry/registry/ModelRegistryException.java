package io.github.modelregistry.registry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * The one family of exceptions the registry throws. Lower layers' exceptions (holders, the runtime, the repository)
 * never cross the registry: it translates them here, keeping the cause. Each face maps this family to its own codes
 * in one table (HTTP statuses in the V2 REST face, and the same kinds of failure for any other face).
 */
public abstract class ModelRegistryException extends RuntimeException {

	private final @Nullable Duration retryAfter;

	protected ModelRegistryException(String message, @Nullable Throwable cause, @Nullable Duration retryAfter) {
		super(message, cause);
		this.retryAfter = retryAfter;
	}

	/**
	 * Returns how long a client should wait before it tries again, or {@code null} when waiting would not help or
	 * nothing is known.
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Whether the request's own content or target is at fault (an unknown model, an invalid input), as opposed to
	 * the server or the model. A client fault never counts against a model's circuit breaker.
	 */
	public boolean isClientFault() {
		return false;
	}

}
