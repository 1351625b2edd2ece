package io.github.modelregistry.protocol;

import java.nio.charset.StandardCharsets;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;


/**
 * The body of a repository extension load, {@code {"parameters": {...}}} (the protocol's
 * {@code $repository_load_request}): empty, {@code {}}, or parameters of which one is understood,
 * {@code "evictable"} (a boolean). Anything else is refused with a 400 that names it, so that a client sending
 * Triton's {@code config} override or a file upload learns it was not applied instead of having it ignored.
 *
 * @param evictable whether the model may be unloaded to make room in the registry's memory budget
 */
public record LoadParameters(boolean evictable) {

	private static final LoadParameters NONE = new LoadParameters(false);

	private static final JsonFactory JSON = JsonFactory.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	/**
	 * Reads a load request's body.
	 * @throws V2Exception (400) if it is not such an object, or names a parameter that is not understood
	 */
	public static LoadParameters parse(byte[] body) {
		if (isBlank(body)) {
			return NONE;
		}
		try (JsonParser parser = JSON.createParser(body)) {
			if (parser.nextToken() != JsonToken.START_OBJECT) {
				throw invalid("must be a JSON object, {\"parameters\": {...}}");
			}
			boolean evictable = false;
			while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
				String field = parser.currentName();
				if (!"parameters".equals(field)) {
					throw invalid("has an unknown field '" + field + "'; only 'parameters' is read");
				}
				if (parser.nextToken() != JsonToken.START_OBJECT) {
					throw invalid("'parameters' must be an object");
				}
				while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
					String parameter = parser.currentName();
					JsonToken value = parser.nextToken();
					if (!"evictable".equals(parameter)) {
						throw invalid("has the parameter '" + parameter + "', which is not supported: models load "
								+ "from the base path as they are, and 'evictable' is the only load parameter");
					}
					if (value != JsonToken.VALUE_TRUE && value != JsonToken.VALUE_FALSE) {
						throw invalid("'evictable' must be true or false");
					}
					evictable = (value == JsonToken.VALUE_TRUE);
				}
			}
			if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
				throw invalid("must hold one JSON object and nothing after it");
			}
			return new LoadParameters(evictable);
		}
		catch (JacksonException ex) {
			throw invalid("is not valid JSON: " + ex.getOriginalMessage());
		}
	}

	private static boolean isBlank(byte[] body) {
		return new String(body, StandardCharsets.UTF_8).isBlank();
	}

	private static V2Exception invalid(String what) {
		return V2Exception.badRequest("The load request's body " + what);
	}

}
