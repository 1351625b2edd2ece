package io.github.modelregistry.sample;

import java.util.Map;

import io.github.modelregistry.holder.ModelUnavailableException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.web.V2Exception;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/**
 * Answers the sample API's errors as {@code {"error": "..."}}, like the V2 API, without stack traces.
 */
@RestControllerAdvice(assignableTypes = RecommendationController.class)
class ApiErrors {

	@ExceptionHandler(ServerWebInputException.class)
	ResponseEntity<Map<String, String>> unreadable(ServerWebInputException ex) {
		Throwable cause = ex.getMostSpecificCause();
		String detail = (cause != ex && cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("")
				: ex.getReason();
		return error(HttpStatus.BAD_REQUEST, "Malformed request: " + detail);
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> invalid(IllegalArgumentException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(V2Exception.class)
	ResponseEntity<Map<String, String>> rejected(V2Exception ex) {
		ResponseEntity.BodyBuilder response = ResponseEntity.status(ex.getStatus());
		if (ex.getRetryAfter() != null) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.getRetryAfter().toSeconds())));
		}
		return response.body(Map.of("error", ex.getMessage()));
	}

	@ExceptionHandler(ModelNotFoundException.class)
	ResponseEntity<Map<String, String>> notFound(ModelNotFoundException ex) {
		return error(HttpStatus.NOT_FOUND, ex.getMessage());
	}

	@ExceptionHandler(ModelUnavailableException.class)
	ResponseEntity<Map<String, String>> unavailable(ModelUnavailableException ex) {
		return error(HttpStatus.SERVICE_UNAVAILABLE, ex.getMessage());
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

}
