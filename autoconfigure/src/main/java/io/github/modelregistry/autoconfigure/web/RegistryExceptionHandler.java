package io.github.modelregistry.autoconfigure.web;

import io.github.modelregistry.protocol.V2Errors;
import io.github.modelregistry.protocol.V2Exception;
import io.github.modelregistry.registry.ModelRegistryException;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Answers the registry's exceptions thrown in the application's own controllers (Spring MVC or WebFlux) as RFC 9457
 * problem details, with the V2 face's status table ({@link V2Errors}): an unknown model or version 404, an invalid
 * request 400, a model registered already 409, overload 429 and an open circuit 503 with {@code Retry-After}, a time-out
 * 504, a memory budget exceeded 507. The detail is the exception's message; no stack trace is logged or sent (a
 * server-side failure is logged once, as a WARN line).
 * <p>
 * The advice has the lowest precedence: an {@code @ExceptionHandler} in the controller, or in an advice of the
 * application's, comes first.
 */
@RestControllerAdvice
@Order(Ordered.LOWEST_PRECEDENCE)
public final class RegistryExceptionHandler {

	@ExceptionHandler(ModelRegistryException.class)
	ResponseEntity<ProblemDetail> registryException(ModelRegistryException failure) {
		V2Exception answer = V2Errors.of(failure);
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(answer.getStatus()),
				answer.getMessage());
		ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.getStatus());
		String retryAfter = V2Errors.retryAfterSeconds(answer.getRetryAfter());
		if (retryAfter != null) {
			response.header(HttpHeaders.RETRY_AFTER, retryAfter);
		}
		return response.body(problem);
	}

}
