package io.github.modelregistry.web;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;

/**
 * A request the protocol answers with an error status and {@code {"error": message}}, and, for overload and open
 * circuits, a {@code Retry-After} header.
 */
final class V2Exception extends RuntimeException {

	private final HttpStatus status;

	private final @Nullable Duration retryAfter;

	V2Exception(HttpStatus status, String message) {
		this(status, message, null);
	}

	V2Exception(HttpStatus status, String message, @Nullable Duration retryAfter) {
		super(message, null, false, false);
		this.status = status;
		this.retryAfter = retryAfter;
	}

	HttpStatus getStatus() {
		return this.status;
	}

	/**
	 * Returns how long a client should wait before retrying, or {@code null}.
	 */
	@Nullable Duration getRetryAfter() {
		return this.retryAfter;
	}

	static V2Exception badRequest(String message) {
		return new V2Exception(HttpStatus.BAD_REQUEST, message);
	}

}
