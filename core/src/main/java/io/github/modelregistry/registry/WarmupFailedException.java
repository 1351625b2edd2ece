package io.github.modelregistry.registry;

/**
 * A freshly loaded version failed its warm-up, so it is not published.
 */
final class WarmupFailedException extends RuntimeException {

	WarmupFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
