package io.github.modelregistry.sample;

import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import tools.jackson.core.JacksonException;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.server.ServerWebInputException;

/**
 * Answers the sample API's malformed requests as {@code {"error": "..."}}, like the V2 API, without stack traces,
 * naming the field Jackson or a record refused. The model registry's failures need nothing here: the starter answers
 * them in any controller as problem details with the V2 statuses (429 and 503 with {@code Retry-After}).
 */
@RestControllerAdvice(assignableTypes = { RecommendationController.class, SearchController.class })
class ApiErrors {

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

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String message) {
		return ResponseEntity.status(status).body(Map.of("error", message));
	}

}
