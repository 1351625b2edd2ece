package io.github.modelregistry.web;

import org.springframework.http.HttpStatus;

/**
 * A request the protocol answers with an error status and {@code {"error": message}}.
 */
public class V2Exception extends RuntimeException {

	private final HttpStatus status;

	public V2Exception(HttpStatus status, String message) {
		super(message, null, false, false);
		this.status = status;
	}

	public HttpStatus getStatus() {
		return this.status;
	}

	static V2Exception badRequest(String message) {
		return new V2Exception(HttpStatus.BAD_REQUEST, message);
	}

}
