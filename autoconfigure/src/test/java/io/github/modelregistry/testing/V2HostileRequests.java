package io.github.modelregistry.testing;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The hostile requests every V2 REST face must answer alike, whichever server it runs on: malformed JSON, shapes
 * and data that do not fit, numbers out of range, other encodings and media types, unknown models and versions,
 * sizes over the limits, and the binary tensor data extension's ways of not adding up. Each is the exact bytes a
 * client sends to a server serving {@code scorer} (one FP32 input {@code features} of shape [-1, 4]) with
 * {@code model-registry.web.max-request-size=1MB}, and the status and words its JSON error must have. HTTP framing
 * that does not decode is answered below Spring, by each server in its own words: each face's tests add those.
 */
public final class V2HostileRequests {

	/** The inference path of the model every case is sent to. */
	public static final String INFER = "/v2/models/scorer/infer";

	/** A valid inference of {@code scorer}. */
	public static final String VALID = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
			+ "\"data\":[1,2,3,4]}]}";

	private static final float[] FEATURES = { 4, 3, 2, 1, 0.5f, -0.25f, 1e-3f, 7 };

	private V2HostileRequests() {
	}

	/**
	 * One hostile request.
	 * @param name what it does
	 * @param request the exact bytes sent
	 * @param status the status it must get
	 * @param error what its JSON error must say, or {@code null} for anything
	 */
	public record Case(String name, byte[] request, int status, String error) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	/**
	 * Every case a face answers above its server's HTTP codec, the binary extension's included.
	 */
	public static List<Case> protocolCases() {
		List<Case> cases = new ArrayList<>();
		// Malformed JSON and missing parts
		bad(cases, "empty body", "", 400, "The request body is empty");
		bad(cases, "not an object", "[]", 400, "must be a JSON object");
		bad(cases, "null", "null", 400, "must be a JSON object");
		bad(cases, "cut off", "{\"inputs\":", 400, "Malformed JSON");
		bad(cases, "garbage after the object", VALID + "x", 400, "Malformed JSON");
		bad(cases, "a second object", VALID + VALID, 400, "Unexpected content after");
		bad(cases, "no inputs", "{}", 400, "Missing field 'inputs'");
		bad(cases, "inputs empty", "{\"inputs\":[]}", 400, "at least one input");
		bad(cases, "inputs an object", "{\"inputs\":{}}", 400, "must be an array of input objects");
		bad(cases, "input a number", "{\"inputs\":[1]}", 400, "must be an object");
		bad(cases, "no name", input(null, "[1,4]", "\"FP32\"", "[1,2,3,4]"), 400, "missing field 'name'");
		bad(cases, "no shape", "{\"inputs\":[{\"name\":\"features\",\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}", 400,
				"missing field 'shape'");
		bad(cases, "no datatype", "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"data\":[1,2,3,4]}]}", 400,
				"missing field 'datatype'");
		bad(cases, "no data", "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\"}]}", 400,
				"missing field 'data'");
		bad(cases, "name a number", input("1", "[1,4]", "\"FP32\"", "[1,2,3,4]"), 400, "must be a string");
		bad(cases, "id a number", "{\"id\":5," + VALID.substring(1), 400, "Field 'id' must be a string");
		bad(cases, "parameters an array", "{\"parameters\":[]," + VALID.substring(1), 400, "must be an object");
		bad(cases, "outputs an object", "{\"outputs\":{}," + VALID.substring(1), 400, "Field 'outputs' must be");
		bad(cases, "output without a name", "{\"outputs\":[{}]," + VALID.substring(1), 400, "missing field 'name'");
		bad(cases, "unknown output", "{\"outputs\":[{\"name\":\"nope\"}]," + VALID.substring(1), 400,
				"Unknown output 'nope'");
		// Shapes and datatypes
		bad(cases, "negative dimension", input("\"features\"", "[-1,4]", "\"FP32\"", "[1,2,3,4]"), 400,
				"non-negative integers");
		bad(cases, "decimal dimension", input("\"features\"", "[1.5,4]", "\"FP32\"", "[1,2,3,4]"), 400,
				"non-negative integers");
		bad(cases, "string dimension", input("\"features\"", "[\"1\",4]", "\"FP32\"", "[1,2,3,4]"), 400,
				"non-negative integers");
		bad(cases, "huge integer dimension", input("\"features\"", "[99999999999999999999999,4]", "\"FP32\"",
				"[1,2,3,4]"), 400, "non-negative integers");
		bad(cases, "shape not an array", input("\"features\"", "4", "\"FP32\"", "[1,2,3,4]"), 400,
				"non-negative integers");
		bad(cases, "unknown datatype", input("\"features\"", "[1,4]", "\"FP128\"", "[1,2,3,4]"), 400, "FP128");
		bad(cases, "datatype a number", input("\"features\"", "[1,4]", "32", "[1,2,3,4]"), 400, "must be a string");
		bad(cases, "wrong datatype for the model", input("\"features\"", "[1,4]", "\"FP64\"", "[1,2,3,4]"), 400,
				"has datatype FP64 but model 'scorer' expects FP32");
		bad(cases, "wrong rank for the model", input("\"features\"", "[4]", "\"FP32\"", "[1,2,3,4]"), 400,
				"has shape [4] but model 'scorer' expects [-1, 4]");
		bad(cases, "wrong size for the model", input("\"features\"", "[2,2]", "\"FP32\"", "[1,2,3,4]"), 400,
				"has shape [2, 2]");
		bad(cases, "unknown input", input("\"feature\"", "[1,4]", "\"FP32\"", "[1,2,3,4]"), 400,
				"Unknown input 'feature' for model 'scorer'");
		String one = VALID.substring("{\"inputs\":[".length(), VALID.length() - 2);
		bad(cases, "same input twice", "{\"inputs\":[" + one + "," + one + "]}", 400, "given more than once");
		bad(cases, "huge shape in a few bytes", input("\"features\"", "[1048576,4]", "\"FP32\"", "[]"), 400,
				"bytes left in the request cannot hold them");
		bad(cases, "huge shape, data first", "{\"inputs\":[{\"data\":[1,2],\"name\":\"features\",\"shape\":"
				+ "[1048576,4],\"datatype\":\"FP32\"}]}", 400, "cannot hold them");
		bad(cases, "more elements than the limit", input("\"features\"", "[2000000,4]", "\"FP32\"", "[]"), 413,
				"model-registry.web.max-elements");
		bad(cases, "dimensions overflowing a long", input("\"features\"", "[9223372036854775807,4]", "\"FP32\"",
				"[]"), 413, "max-elements");
		// Data
		bad(cases, "too few elements", input("\"features\"", "[1,4]", "\"FP32\"", "[1,2,3]"), 400, "has 3 data elements");
		bad(cases, "too many elements", input("\"features\"", "[1,4]", "\"FP32\"", "[1,2,3,4,5]"), 400,
				"more data elements than its shape holds");
		bad(cases, "a string element", input("\"features\"", "[1,4]", "\"FP32\"", "[1,\"2\",3,4]"), 400,
				"found a string");
		bad(cases, "a null element", input("\"features\"", "[1,4]", "\"FP32\"", "[1,null,3,4]"), 400, "found null");
		bad(cases, "a boolean element", input("\"features\"", "[1,4]", "\"FP32\"", "[1,true,3,4]"), 400,
				"found a boolean");
		bad(cases, "an object element", input("\"features\"", "[1,4]", "\"FP32\"", "[1,{},3,4]"), 400,
				"found an object");
		bad(cases, "1e39 for FP32", input("\"features\"", "[1,4]", "\"FP32\"", "[1,1e39,3,4]"), 400,
				"out of range for FP32");
		bad(cases, "-1e39 for FP32", input("\"features\"", "[1,4]", "\"FP32\"", "[1,-1e39,3,4]"), 400,
				"out of range for FP32");
		bad(cases, "1e400", input("\"features\"", "[1,4]", "\"FP32\"", "[1,1e400,3,4]"), 400, "out of range");
		bad(cases, "NaN literal", input("\"features\"", "[1,4]", "\"FP32\"", "[1,NaN,3,4]"), 400, "Malformed JSON");
		bad(cases, "Infinity literal", input("\"features\"", "[1,4]", "\"FP32\"", "[1,Infinity,3,4]"), 400,
				"Malformed JSON");
		bad(cases, "ragged data", input("\"features\"", "[2,2]", "\"FP32\"", "[[1,2],[3]]"), 400, null);
		bad(cases, "ragged data, right count", input("\"features\"", "[1,4]", "\"FP32\"", "[[1,2],[3,4]]"), 400,
				null);
		bad(cases, "over-nested data", input("\"features\"", "[1,4]", "\"FP32\"", "[[[1,2,3,4]]]"), 400,
				"nested deeper than its shape");
		bad(cases, "mixed numbers and arrays", input("\"features\"", "[1,4]", "\"FP32\"", "[[1,2,3],4]"), 400, null);
		bad(cases, "data an object", input("\"features\"", "[1,4]", "\"FP32\"", "{}"), 400, "must be an array");
		bad(cases, "data a string", input("\"features\"", "[1,4]", "\"FP32\"", "\"1,2,3,4\""), 400,
				"must be an array");
		bad(cases, "duplicate data key", "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
				+ "\"data\":[1,2,3,4],\"data\":[5,6,7,8]}]}", 400, "Duplicate Object property \\\"data\\\"");
		bad(cases, "duplicate shape key", "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"shape\":[2,4],"
				+ "\"datatype\":\"FP32\",\"data\":[1,2,3,4]}]}", 400, "Duplicate Object property \\\"shape\\\"");
		bad(cases, "duplicate inputs key", "{\"inputs\":[" + one + "],\"inputs\":[" + one + "]}", 400,
				"Duplicate Object property \\\"inputs\\\"");
		bad(cases, "unterminated string", "{\"id\":\"abc", 400, "Malformed JSON");
		bad(cases, "control character in a string", "{\"id\":\"a\u0001b\"," + VALID.substring(1), 400,
				"Malformed JSON");
		bad(cases, "deeply nested garbage", "[".repeat(5000), 400, "must be a JSON object");
		// Encodings and media types
		cases.add(new Case("UTF-16 with a byte-order mark", post(INFER, "application/json",
				("\uFEFF" + VALID).getBytes(StandardCharsets.UTF_16BE)), 400, "UTF-8, not UTF-16 or UTF-32"));
		cases.add(new Case("UTF-16LE without a mark", post(INFER, "application/json",
				VALID.getBytes(StandardCharsets.UTF_16LE)), 400, "UTF-8"));
		cases.add(new Case("UTF-32", post(INFER, "application/json", VALID.getBytes(java.nio.charset.Charset.forName(
				"UTF-32"))), 400, "UTF-8"));
		cases.add(new Case("invalid UTF-8", post(INFER, "application/json",
				("{\"id\":\"" + "\u00ff" + "\"}").getBytes(StandardCharsets.ISO_8859_1)), 400, "Malformed JSON"));
		cases.add(new Case("not a media type", post(INFER, "@@@", VALID.getBytes(StandardCharsets.UTF_8)), 415,
				"is not a media type"));
		cases.add(new Case("text/plain", post(INFER, "text/plain", VALID.getBytes(StandardCharsets.UTF_8)), 415,
				"is not supported"));
		cases.add(new Case("application/xml", post(INFER, "application/xml", VALID.getBytes(StandardCharsets.UTF_8)),
				415, "is not supported"));
		// Models and versions
		cases.add(new Case("unknown model", post("/v2/models/nope/infer", "application/json",
				VALID.getBytes(StandardCharsets.UTF_8)), 404, "nope"));
		cases.add(new Case("unknown model, huge declaration", post("/v2/models/nope/infer", "application/json",
				input("\"features\"", "[1048576,4]", "\"FP64\"", "[]").getBytes(StandardCharsets.UTF_8)), 404, "nope"));
		cases.add(new Case("unserved version", post("/v2/models/scorer/versions/7/infer", "application/json",
				VALID.getBytes(StandardCharsets.UTF_8)), 404, "7"));
		cases.add(new Case("version not a number", post("/v2/models/scorer/versions/abc/infer", "application/json",
				VALID.getBytes(StandardCharsets.UTF_8)), 400, "not a positive integer"));
		cases.add(new Case("version zero", post("/v2/models/scorer/versions/0/infer", "application/json",
				VALID.getBytes(StandardCharsets.UTF_8)), 400, "not a positive integer"));
		cases.add(new Case("version overflowing a long", post("/v2/models/scorer/versions/99999999999999999999/infer",
				"application/json", VALID.getBytes(StandardCharsets.UTF_8)), 400, "not a positive integer"));
		cases.add(new Case("metadata of an unknown model", get("/v2/models/nope"), 404, "nope"));
		cases.add(new Case("readiness of an unserved version", get("/v2/models/scorer/versions/9/ready"), 404, "9"));
		// Sizes
		cases.add(new Case("declared length over the limit", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nContent-Length: 104857600\r\n\r\n"), 413,
				"model-registry.web.max-request-size"));
		cases.add(new Case("body over the limit", post(INFER, "application/json",
				("{\"id\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8)), 413,
				"max-request-size"));
		cases.addAll(binaryCases());
		return cases;
	}

	public static List<Case> binaryCases() {
		byte[] features = littleEndianFloats(FEATURES);
		String binary = """
				{"inputs":[{"name":"features","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":32}}]}""";
		return List.of(
				bad("both data and binary_data_size", header("""
						{"inputs":[{"name":"features","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,5,6,7,8],\
						"parameters":{"binary_data_size":32}}]}""", features), 400, "exactly one of the two"),
				bad("neither", header("""
						{"inputs":[{"name":"features","shape":[2,4],"datatype":"FP32"}]}""", features), 400,
						"missing field 'data'"),
				bad("size that does not match the shape", header(binary.replace("size\":32", "size\":31"),
						Arrays.copyOf(features, 31)), 400, "takes 32 bytes"),
				bad("body shorter than the sizes", header(binary, Arrays.copyOf(features, 16)), 400,
						"only 16 are left"),
				bad("trailing bytes", header(binary, Arrays.copyOf(features, 36)), 400,
						"4 bytes follow the raw tensors"),
				bad("a huge tensor declared in a few bytes", header("""
						{"inputs":[{"name":"features","shape":[20000,4],"datatype":"FP32",\
						"parameters":{"binary_data_size":320000}}]}""", features), 400, "only 32 are left"),
				bad("binary_data_size without the header",
						request("scorer", "application/json", List.of(), binary.getBytes(StandardCharsets.UTF_8),
								features), 400, "no Inference-Header-Content-Length"),
				bad("header length 0", request("scorer", "application/octet-stream",
						List.of("Inference-Header-Content-Length: 0"), features, new byte[0]), 400, "is 0"),
				bad("header length beyond the body", request("scorer", "application/octet-stream",
						List.of("Inference-Header-Content-Length: 500"), binary.getBytes(StandardCharsets.UTF_8),
						features), 400, "holds only"),
				bad("header length not a number", request("scorer", "application/octet-stream",
						List.of("Inference-Header-Content-Length: -1"), binary.getBytes(StandardCharsets.UTF_8),
						features), 400, "must be one integer"),
				bad("header length beyond an int", request("scorer", "application/octet-stream",
						List.of("Inference-Header-Content-Length: 4294967296"), binary.getBytes(StandardCharsets.UTF_8),
						features), 400, "must be one integer"),
				bad("header length of 11 digits", request("scorer", "application/octet-stream",
						List.of("Inference-Header-Content-Length: 00000000040"), binary.getBytes(StandardCharsets.UTF_8),
						features), 400, "must be one integer"),
				bad("header length with a sign", request("scorer", "application/octet-stream",
						List.of("Inference-Header-Content-Length: +40"), binary.getBytes(StandardCharsets.UTF_8),
						features), 400, "must be one integer"),
				bad("header length that cuts the JSON", request("scorer", "application/octet-stream",
						List.of("Inference-Header-Content-Length: 40"), binary.getBytes(StandardCharsets.UTF_8),
						features), 400, "Malformed JSON"),
				bad("binary_data_size not an integer",
						header(binary.replace("size\":32", "size\":\"32\""), features), 400,
						"must be a non-negative integer"),
				bad("binary_data_size negative", header(binary.replace("size\":32", "size\":-32"), features), 400,
						"must be a non-negative integer"),
				bad("binary_data not a boolean", header(binary.replace("]}", "],\"outputs\":[{\"name\":"
						+ "\"score\",\"parameters\":{\"binary_data\":\"yes\"}}]}"), features), 400,
						"must be true or false"),
				bad("octet-stream without the header",
						request("scorer", "application/octet-stream", List.of(), features, new byte[0]), 415,
						"application/octet-stream with Inference-Header-Content-Length"));
	}

	private static Case bad(String name, byte[] request, int status, String error) {
		return new Case(name, request, status, error);
	}

	/**
	 * A request to the scorer with the JSON header's length given.
	 */
	private static byte[] header(String json, byte[] raw) {
		return request("scorer", "application/octet-stream", null, json.getBytes(StandardCharsets.UTF_8), raw);
	}

	/**
	 * {@code POST /v2/models/<model>/infer} with the JSON and the raw bytes after it; {@code headers} null for the
	 * header length of the JSON (when raw bytes follow), else exactly the headers given.
	 */
	public static byte[] request(String model, String contentType, List<String> headers, byte[] json, byte[] raw) {
		byte[] tail = (raw != null) ? raw : new byte[0];
		StringBuilder head = new StringBuilder("POST /v2/models/" + model + "/infer HTTP/1.1\r\nHost: localhost\r\n"
				+ "Connection: close\r\n");
		if (contentType != null) {
			head.append("Content-Type: ").append(contentType).append("\r\n");
		}
		if (headers == null) {
			if (raw != null) {
				head.append("Inference-Header-Content-Length: ").append(json.length).append("\r\n");
			}
		}
		else {
			headers.forEach((header) -> head.append(header).append("\r\n"));
		}
		head.append("Content-Length: ").append(json.length + tail.length).append("\r\n\r\n");
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		out.writeBytes(head.toString().getBytes(StandardCharsets.US_ASCII));
		out.writeBytes(json);
		out.writeBytes(tail);
		return out.toByteArray();
	}

	/**
	 * The values as the binary tensor data extension sends {@code FP32}: four little-endian bytes each.
	 */
	public static byte[] littleEndianFloats(float... values) {
		ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (float value : values) {
			bytes.putFloat(value);
		}
		return bytes.array();
	}

	private static void bad(List<Case> cases, String name, String body, int status, String error) {
		cases.add(new Case(name, post(INFER, "application/json", body.getBytes(StandardCharsets.UTF_8)), status, error));
	}

	private static String input(String name, String shape, String datatype, String data) {
		return "{\"inputs\":[{" + ((name != null) ? "\"name\":" + name + "," : "") + "\"shape\":" + shape
				+ ",\"datatype\":" + datatype + ",\"data\":" + data + "}]}";
	}

	/**
	 * A request that declares 16 MB of FP32 in a shape the model takes, in 84 bytes: a server that allocated what a
	 * shape declares before checking the bytes left would grow by that much for each.
	 */
	public static byte[] hugeDeclaration() {
		return post(INFER, "application/json", ("{\"inputs\":[{\"name\":\"features\",\"shape\":[1048576,4],"
				+ "\"datatype\":\"FP32\",\"data\":[]}]}").getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * {@code POST} of a body with its length, on a connection that closes after the answer.
	 */
	public static byte[] post(String path, String contentType, byte[] body) {
		byte[] head = ascii("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
				+ contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n");
		byte[] request = Arrays.copyOf(head, head.length + body.length);
		System.arraycopy(body, 0, request, head.length, body.length);
		return request;
	}

	/**
	 * {@code GET} on a connection that closes after the answer.
	 */
	public static byte[] get(String path) {
		return ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	}

	/**
	 * The bytes of a request line and headers as they go on the wire.
	 */
	public static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
	}

	/**
	 * Returns this process's resident memory, from {@code /proc/self/status}: the servers under test run in it.
	 */
	public static long residentBytes() throws java.io.IOException {
		for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
			}
		}
		throw new IllegalStateException("No VmRSS in /proc/self/status");
	}

}
