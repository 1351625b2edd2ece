package io.github.modelregistry.registry;

/**
 * A freshly loaded version failed its warm-up, so it is not published.
 */
public class WarmupFailedException extends RuntimeException {

	public WarmupFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
