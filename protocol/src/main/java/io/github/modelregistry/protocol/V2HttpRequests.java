package io.github.modelregistry.protocol;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What the V2 REST faces read from a request's line and headers, the same way on every HTTP server: the model
 * version in the path, the binary tensor data extension's header, and the server's own metadata.
 */
public final class V2HttpRequests {

	/** The binary tensor data extension's header: the length of the JSON that the raw tensors follow. */
	public static final String HEADER_LENGTH = V2RequestDecoder.HEADER_LENGTH;

	private V2HttpRequests() {
	}

	/**
	 * Returns a path's model version, or {@code null} for none (the latest served).
	 * @param version the path segment, or {@code null}
	 * @return the version
	 * @throws V2Exception (400) when it is not a positive integer
	 */
	public static @Nullable Long version(@Nullable String version) {
		if (version == null) {
			return null;
		}
		long parsed = digits(version, 18);
		if (parsed > 0) {
			return parsed;
		}
		throw V2Exception.badRequest("Model version '" + version + "' is not a positive integer");
	}

	/**
	 * Returns the binary tensor data extension's JSON length, or -1 when the header is absent (the body is JSON).
	 * @param values the header's values, empty when it is absent
	 * @return the length
	 * @throws V2Exception (400) when the header is not one positive integer
	 */
	public static int headerLength(List<String> values) {
		if (values.isEmpty()) {
			return -1;
		}
		long parsed = (values.size() == 1) ? digits(values.get(0).trim(), 10) : -1;
		if (parsed < 0 || parsed > Integer.MAX_VALUE) {
			throw V2Exception.badRequest(HEADER_LENGTH + " must be one integer, the JSON header's length in bytes");
		}
		if (parsed == 0) {
			throw V2Exception.badRequest(HEADER_LENGTH + " is 0: a request whose whole body is one raw tensor is not "
					+ "supported; send the JSON header and give its length");
		}
		return (int) parsed;
	}

	/**
	 * Returns the value of 1 to {@code maxDigits} ASCII digits, or -1 for anything else. Read on every binary
	 * request: a loop, not {@code String.matches}, which compiled its pattern each time (2.5 % of a binary REST
	 * profile's samples).
	 */
	private static long digits(String value, int maxDigits) {
		int length = value.length();
		if (length == 0 || length > maxDigits) {
			return -1;
		}
		long parsed = 0;
		for (int i = 0; i < length; i++) {
			char c = value.charAt(i);
			if (c < '0' || c > '9') {
				return -1;
			}
			parsed = parsed * 10 + (c - '0');
		}
		return parsed;
	}

	/**
	 * Returns {@code GET /v2}'s answer: the server's name, version and extensions.
	 * @param version the server's version, or {@code null} when it is not known (a build from source)
	 * @return the JSON
	 */
	public static byte[] serverMetadata(@Nullable String version) {
		return ("{\"name\":\"model-registry\",\"version\":\"" + ((version != null) ? version : "dev")
				+ "\",\"extensions\":[\"binary_tensor_data\"]}").getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Returns a model's readiness answer, its name escaped like any string from a client.
	 * @param encoder the face's encoder
	 * @param model the model's name, as the client gave it
	 * @param ready whether it can serve
	 * @return the JSON
	 */
	public static byte[] modelReady(V2ResponseEncoder encoder, String model, boolean ready) {
		String encoded = new String(encoder.error(model), StandardCharsets.UTF_8);
		String quoted = encoded.substring("{\"error\":".length(), encoded.length() - 1);
		return ("{\"name\":" + quoted + ",\"ready\":" + ready + "}").getBytes(StandardCharsets.UTF_8);
	}

}
