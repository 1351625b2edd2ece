package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One kind of request the tool sends: a REST call (GET, or POST with a body) or a gRPC call, with what its first
 * answer must contain. The inference bodies all carry the same 10 x 40 FP32 features for the sample's
 * {@code restaurant-ranker} (three decimals, from a fixed seed), so JSON, binary and gRPC send the same values.
 *
 * @param name the name reports use
 * @param kind the kind of call
 * @param path the HTTP path (REST only)
 * @param contentType the body's media type (POST only)
 * @param body the body (POST only; empty otherwise)
 * @param headers more request headers (REST only)
 * @param expect text the first answer must contain (REST), or empty
 */
record Endpoint(String name, Kind kind, String path, String contentType, byte[] body, Map<String, String> headers,
		String expect) {

	/** The sample's model and its input */
	static final String MODEL = "restaurant-ranker";

	static final int ROWS = 10;

	static final int COLUMNS = 40;

	static final String INFER_PATH = "/v2/models/" + MODEL + "/infer";

	static final String HEADER_LENGTH = "Inference-Header-Content-Length";

	/** The binary extension's JSON header: the input's bytes follow it, and the output comes back as bytes too */
	static final String BINARY_HEADER = "{\"inputs\":[{\"name\":\"features\",\"shape\":[" + ROWS + "," + COLUMNS
			+ "],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + (ROWS * COLUMNS * 4)
			+ "}}],\"parameters\":{\"binary_data_output\":true}}";

	private static final float[][] FEATURES = features();

	enum Kind {

		GET, POST, GRPC_INFER, GRPC_LIVE;

		boolean grpc() {
			return this == GRPC_INFER || this == GRPC_LIVE;
		}

	}

	static Endpoint get(String name, String path, String expect) {
		return new Endpoint(name, Kind.GET, path, "application/json", new byte[0], Map.of(), expect);
	}

	static Endpoint postJson(String name, String path, byte[] body, String expect) {
		return new Endpoint(name, Kind.POST, path, "application/json", body, Map.of(), expect);
	}

	/** The V2 JSON inference request of the sample's model, nested rows as clients send them */
	static Endpoint v2Json(String name, String path) {
		return postJson(name, path, json(true), "\"outputs\"");
	}

	/** The same request with its data flat (row-major), as V2 JSON also allows */
	static Endpoint v2JsonFlat(String name, String path) {
		return postJson(name, path, json(false), "\"outputs\"");
	}

	/** The same request with the binary tensor data extension: the JSON header, then the little-endian bytes */
	static Endpoint v2Binary(String name, String path) {
		byte[] header = BINARY_HEADER.getBytes(StandardCharsets.UTF_8);
		byte[] tensor = littleEndian();
		byte[] body = Arrays.copyOf(header, header.length + tensor.length);
		System.arraycopy(tensor, 0, body, header.length, tensor.length);
		return new Endpoint(name, Kind.POST, path, "application/octet-stream", body,
				Map.of(HEADER_LENGTH, Integer.toString(header.length)), "\"score\"");
	}

	static Endpoint grpcInfer(String name) {
		return new Endpoint(name, Kind.GRPC_INFER, "", "", new byte[0], Map.of(), "");
	}

	static Endpoint grpcLive(String name) {
		return new Endpoint(name, Kind.GRPC_LIVE, "", "", new byte[0], Map.of(), "");
	}

	/** A body from the tool's resources ({@code bodies/<name>}) */
	static byte[] resource(String name) {
		try (InputStream in = Endpoint.class.getResourceAsStream("/bodies/" + name)) {
			if (in == null) {
				throw new IllegalStateException("no body " + name + " in the tool's resources");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static byte[] json(boolean nested) {
		StringBuilder json = new StringBuilder("{\"inputs\":[{\"name\":\"features\",\"shape\":[" + ROWS + ","
				+ COLUMNS + "],\"datatype\":\"FP32\",\"data\":[");
		for (int i = 0; i < ROWS; i++) {
			if (i > 0) {
				json.append(',');
			}
			if (nested) {
				json.append('[');
			}
			for (int j = 0; j < COLUMNS; j++) {
				if (j > 0) {
					json.append(',');
				}
				json.append(String.format(Locale.ROOT, "%.3f", FEATURES[i][j]));
			}
			if (nested) {
				json.append(']');
			}
		}
		return json.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
	}

	static byte[] littleEndian() {
		ByteBuffer bytes = ByteBuffer.allocate(ROWS * COLUMNS * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (float[] row : FEATURES) {
			for (float value : row) {
				bytes.putFloat(value);
			}
		}
		return bytes.array();
	}

	private static float[][] features() {
		Random random = new Random(42);
		float[][] features = new float[ROWS][COLUMNS];
		for (float[] row : features) {
			for (int j = 0; j < COLUMNS; j++) {
				// Parsed back from its three-decimal text, so that JSON and the bytes carry the same values
				row[j] = Float.parseFloat(String.format(Locale.ROOT, "%.3f", random.nextFloat()));
			}
		}
		return features;
	}

	@Override
	public String toString() {
		return this.name;
	}

}
