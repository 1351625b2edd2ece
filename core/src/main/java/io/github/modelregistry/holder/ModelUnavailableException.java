package io.github.modelregistry.holder;

import org.jspecify.annotations.Nullable;

/**
 * Thrown to a reader when there is no model to read: nothing was published, the load failed (the cause says why), or
 * the holder is closed.
 */
public class ModelUnavailableException extends RuntimeException {

	public ModelUnavailableException(String message) {
		super(message);
	}

	public ModelUnavailableException(String message, @Nullable Throwable cause) {
		super(message, cause);
	}

}
