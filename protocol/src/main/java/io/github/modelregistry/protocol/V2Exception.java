package io.github.modelregistry.protocol;

import java.time.Duration;

import org.jspecify.annotations.Nullable;


/**
 * A request the protocol answers with an error status and {@code {"error": message}}, and, for overload and open
 * circuits, a {@code Retry-After} header.
 */
public final class V2Exception extends RuntimeException {

	/** 400: the request is malformed or does not fit the model. */
	public static final int BAD_REQUEST = 400;

	/** 413: the request holds more than the server takes. */
	public static final int CONTENT_TOO_LARGE = 413;

	private final int status;

	private final @Nullable Duration retryAfter;

	/**
	 * @param status the HTTP status
	 * @param message what is wrong, for the client
	 */
	public V2Exception(int status, String message) {
		this(status, message, null);
	}

	/**
	 * @param status the HTTP status
	 * @param message what is wrong, for the client
	 * @param retryAfter how long the client should wait before retrying, or {@code null}
	 */
	public V2Exception(int status, String message, @Nullable Duration retryAfter) {
		super(message, null, false, false);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	/**
	 * Returns the HTTP status.
	 */
	public int getStatus() {
		return this.status;
	}

	/**
	 * Returns how long a client should wait before retrying, or {@code null}.
	 */
	public @Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	/**
	 * Returns a 400 with a message.
	 * @param message what is wrong
	 * @return the exception
	 */
	public static V2Exception badRequest(String message) {
		return new V2Exception(BAD_REQUEST, message);
	}

}
