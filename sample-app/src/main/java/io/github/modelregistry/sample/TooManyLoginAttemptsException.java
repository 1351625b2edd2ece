package io.github.modelregistry.sample;

import java.time.Duration;

import org.springframework.security.core.AuthenticationException;

/**
 * More login attempts with unknown credentials than {@link CachingAuthenticationManager} checks per second: refused
 * without checking, answered with 429 and a {@code Retry-After}.
 */
class TooManyLoginAttemptsException extends AuthenticationException {

	private final Duration retryAfter;

	TooManyLoginAttemptsException(Duration retryAfter) {
		super("Too many login attempts; retry later");
		this.retryAfter = retryAfter;
	}

	Duration getRetryAfter() {
		return this.retryAfter;
	}

}
