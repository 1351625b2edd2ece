package io.github.modelregistry.sample;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.modelregistry.registry.InferenceTimeoutException;
import io.github.modelregistry.registry.InvalidInferenceRequestException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.registry.ModelOverloadedException;
import io.github.modelregistry.registry.ModelRegistryException;
import io.github.modelregistry.registry.ModelUnavailableException;
import tools.jackson.core.JacksonException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/**
 * Answers the sample API's errors as {@code {"error": "..."}}, like the V2 API, without stack traces. The model
 * registry's failures come as one family, mapped here in one table.
 */
@RestControllerAdvice(assignableTypes = RecommendationController.class)
class ApiErrors {

	private static final Map<Class<? extends ModelRegistryException>, HttpStatus> STATUSES = Map.of(
			InvalidInferenceRequestException.class, HttpStatus.BAD_REQUEST, ModelNotFoundException.class,
			HttpStatus.NOT_FOUND, ModelOverloadedException.class, HttpStatus.TOO_MANY_REQUESTS,
			ModelUnavailableException.class, HttpStatus.SERVICE_UNAVAILABLE, InferenceTimeoutException.class,
			HttpStatus.GATEWAY_TIMEOUT);

	/** A package-qualified Java name, as Jackson quotes types: {@code `io.github.x.Cuisine`}. */
	private static final Pattern QUALIFIED = Pattern.compile("`?(?<![\\w.])(?:[a-z][a-z0-9_]*\\.)+([A-Za-z][\\w$]*)`?");

	/** Jackson's words for a primitive field left out, which name one of its settings. */
	private static final Pattern MISSING_PRIMITIVE = Pattern.compile("^Cannot map `null` into type `(\\w+)`.*$");

	@ExceptionHandler(ServerWebInputException.class)
	ResponseEntity<Map<String, String>> unreadable(ServerWebInputException ex) {
		Throwable cause = ex.getMostSpecificCause();
		if (cause instanceof IllegalArgumentException invalid && cause != ex) {
			// A record refused a value by name (Restaurant, UserProfile, DiningContext)
			return error(HttpStatus.BAD_REQUEST, invalid.getMessage());
		}
		String detail = (cause instanceof JacksonException json) ? describe(json)
				: (cause != ex && cause.getMessage() != null) ? firstLine(cause.getMessage()) : ex.getReason();
		return error(HttpStatus.BAD_REQUEST, "Malformed request: " + detail);
	}

	/**
	 * Jackson's own words, where the value went wrong, with Java's package names left out: a client needs
	 * "Cuisine", not where the class lives.
	 */
	private static String describe(JacksonException json) {
		String path = json.getPath()
			.stream()
			.map((reference) -> (reference.getPropertyName() != null) ? reference.getPropertyName()
					: "[" + reference.getIndex() + "]")
			.collect(Collectors.joining("."))
			.replace(".[", "[");
		String message = QUALIFIED.matcher(firstLine(String.valueOf(json.getOriginalMessage()))).replaceAll("$1");
		message = MISSING_PRIMITIVE.matcher(message).replaceAll("is missing or null (a $1 is required)");
		return (path.isEmpty() ? "" : "at '" + path + "': ") + message;
	}

	private static String firstLine(String text) {
		return text.lines().findFirst().orElse("");
	}

	@ExceptionHandler(IllegalArgumentException.class)
	ResponseEntity<Map<String, String>> invalid(IllegalArgumentException ex) {
		return error(HttpStatus.BAD_REQUEST, ex.getMessage());
	}

	@ExceptionHandler(ModelRegistryException.class)
	ResponseEntity<Map<String, String>> registry(ModelRegistryException ex) {
		HttpStatus status = STATUSES.entrySet()
			.stream()
			.filter((entry) -> entry.getKey().isInstance(ex))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(HttpStatus.INTERNAL_SERVER_ERROR);
		ResponseEntity.BodyBuilder response = ResponseEntity.status(status);
		if (ex.getRetryAfter() != null) {
			response.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, ex.getRetryAfter().toSeconds())));
		}
		return response.body(Map.of("error", String.valueOf(ex.getMessage())));
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

}
