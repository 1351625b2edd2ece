package io.github.modelregistry.webflux.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.testing.RawHttp;
import io.github.modelregistry.testing.V2HostileRequests;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static io.github.modelregistry.testing.V2HostileRequests.littleEndianFloats;
import static io.github.modelregistry.testing.V2HostileRequests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The binary tensor data extension on a real Netty server, with real ONNX models, from requests written byte by
 * byte as Triton's and KServe's text describes them (and as Triton's own client sends them: no Content-Type,
 * binary inputs, binary outputs asked for): a JSON header whose length {@code Inference-Header-Content-Length}
 * gives, then each binary input's raw bytes in the order of the inputs, little-endian, row-major, {@code BOOL}
 * one byte per element. Answers are read the same way, and compared bit for bit with what the registry computes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "model-registry.web.max-request-size=64KB", "model-registry.web.max-elements=100000" })
class BinaryTensorDataTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("binary-models")
		.with("scorer", 1, TestModels.scorer(4, 0.5f))
		.with("typed", 1, TestModels.everyDatatype());

	static final Path BASE = MODELS.base();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final float[] FEATURES = { 4, 3, 2, 1, 0.5f, -0.25f, 1e-3f, 7 };

	@Autowired
	ModelRegistry registry;

	@Autowired
	TensorBufferPool pool;

	@LocalServerPort
	int port;

	@AfterEach
	void everyPooledBufferGoesBack() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.openLeases() == 0);
	}

	@Test
	void serverMetadataListsTheExtension() {
		RawHttp.Response answer = RawHttp.exchange(this.port,
				"GET /v2 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII), Duration.ofSeconds(10));
		assertThat(answer.status()).isEqualTo(200);
		assertThat(json(answer.body()).get("extensions").toString()).contains("\"binary_tensor_data\"");
	}

	@Test
	void binaryInputAndBinaryOutputAsTheSpecificationShowsThem() {
		String header = """
				{"id":"spec","inputs":[{"name":"features","shape":[2,4],"datatype":"FP32",\
				"parameters":{"binary_data_size":32}}],"outputs":[{"name":"score","parameters":{"binary_data":true}}]}""";
		RawHttp.Response answer = post("scorer", "application/octet-stream", header, littleEndianFloats(FEATURES));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.header("Content-Type")).isEqualTo("application/octet-stream");
		int headerLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
		JsonNode json = json(new String(answer.raw(), 0, headerLength, StandardCharsets.UTF_8));
		assertThat(json.get("id").asString()).isEqualTo("spec");
		JsonNode output = json.get("outputs").get(0);
		assertThat(output.get("name").asString()).isEqualTo("score");
		assertThat(output.get("datatype").asString()).isEqualTo("FP32");
		assertThat(output.get("shape").toString()).isEqualTo("[2,1]");
		assertThat(output.has("data")).isFalse();
		assertThat(output.at("/parameters/binary_data_size").asInt()).isEqualTo(8);
		assertThat(answer.raw()).hasSize(headerLength + 8);
		float[] scores = floats(Arrays.copyOfRange(answer.raw(), headerLength, headerLength + 8));
		assertThat(scores).containsExactly(expectedScores());
	}

	@Test
	void asTritonsClientSendsIt() {
		// No Content-Type, binary input, every output in binary through the request's binary_data_output
		String header = """
				{"inputs":[{"name":"features","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":32}}],\
				"parameters":{"binary_data_output":true}}""";
		RawHttp.Response answer = post("scorer", null, header, littleEndianFloats(FEATURES));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		int headerLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
		assertThat(floats(Arrays.copyOfRange(answer.raw(), headerLength, answer.raw().length)))
			.containsExactly(expectedScores());
	}

	@Test
	void binaryInputWithAJsonAnswer() {
		String header = """
				{"inputs":[{"name":"features","shape":[2,4],"datatype":"FP32","parameters":{"binary_data_size":32}}],\
				"outputs":[{"name":"score","parameters":{"binary_data":false}}],"parameters":{"binary_data_output":true}}""";
		RawHttp.Response answer = post("scorer", "application/octet-stream", header, littleEndianFloats(FEATURES));
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		assertThat(answer.header("Content-Type")).isEqualTo("application/json");
		assertThat(answer.header("Inference-Header-Content-Length")).isNull();
		JsonNode data = json(answer.body()).at("/outputs/0/data");
		float[] expected = expectedScores();
		assertThat(data.get(0).floatValue()).isEqualTo(expected[0]);
		assertThat(data.get(1).floatValue()).isEqualTo(expected[1]);
	}

	@Test
	void jsonInputWithABinaryAnswer() {
		String body = """
				{"inputs":[{"name":"features","shape":[2,4],"datatype":"FP32","data":[4,3,2,1,0.5,-0.25,0.001,7]}],\
				"outputs":[{"name":"score","parameters":{"binary_data":true}}]}""";
		RawHttp.Response answer = post("scorer", "application/json", body, null);
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		int headerLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
		assertThat(floats(Arrays.copyOfRange(answer.raw(), headerLength, answer.raw().length)))
			.containsExactly(expectedScores());
	}

	@Test
	void everyDatatypeInBinaryMixedWithJsonInOneRequest() {
		// FP32 in JSON; FP64, INT32, INT64 and BOOL raw, in the order the inputs are listed; all outputs raw
		ByteBuffer raw = ByteBuffer.allocate(2 * 3 * (8 + 4 + 8 + 1)).order(ByteOrder.LITTLE_ENDIAN);
		double[] fp64 = { 1.5, -2.25, 1e300, 0, -0.0, Double.MIN_VALUE };
		int[] int32 = { 1, -2, Integer.MAX_VALUE, Integer.MIN_VALUE + 1, 0, 7 };
		long[] int64 = { 1, -2, Long.MAX_VALUE, Long.MIN_VALUE + 1, 0, 7 };
		boolean[] bool = { true, false, true, true, false, false };
		Arrays.stream(fp64).forEach(raw::putDouble);
		Arrays.stream(int32).forEach(raw::putInt);
		Arrays.stream(int64).forEach(raw::putLong);
		for (boolean b : bool) {
			raw.put((byte) (b ? 1 : 0));
		}
		String header = """
				{"inputs":[\
				{"name":"x_fp32","shape":[2,3],"datatype":"FP32","data":[[1,2,3],[4,5,6]]},\
				{"name":"x_fp64","shape":[2,3],"datatype":"FP64","parameters":{"binary_data_size":48}},\
				{"name":"x_int32","shape":[2,3],"datatype":"INT32","parameters":{"binary_data_size":24}},\
				{"parameters":{"binary_data_size":48},"name":"x_int64","shape":[2,3],"datatype":"INT64"},\
				{"name":"x_bool","shape":[2,3],"datatype":"BOOL","parameters":{"binary_data_size":6}}],\
				"parameters":{"binary_data_output":true}}""";
		RawHttp.Response answer = post("typed", "application/octet-stream", header, raw.array());
		assertThat(answer.status()).as(answer.body()).isEqualTo(200);
		int headerLength = Integer.parseInt(answer.header("Inference-Header-Content-Length"));
		JsonNode outputs = json(new String(answer.raw(), 0, headerLength, StandardCharsets.UTF_8)).get("outputs");
		ByteBuffer body = ByteBuffer.wrap(answer.raw()).order(ByteOrder.LITTLE_ENDIAN).position(headerLength);
		int seen = 0;
		for (JsonNode output : outputs) {
			int size = output.at("/parameters/binary_data_size").asInt();
			ByteBuffer bytes = body.slice().order(ByteOrder.LITTLE_ENDIAN).limit(size);
			body.position(body.position() + size);
			switch (output.get("name").asString()) {
				case "y_fp32" -> assertThat(new float[] { bytes.getFloat(), bytes.getFloat(), bytes.getFloat(),
						bytes.getFloat(), bytes.getFloat(), bytes.getFloat() })
					.containsExactly(-1, -2, -3, -4, -5, -6);
				case "y_fp64" -> {
					for (double value : fp64) {
						assertThat(Double.doubleToRawLongBits(bytes.getDouble()))
							.isEqualTo(Double.doubleToRawLongBits(-value));
					}
				}
				case "y_int32" -> {
					for (int value : int32) {
						assertThat(bytes.getInt()).isEqualTo(-value);
					}
				}
				case "y_int64" -> {
					for (long value : int64) {
						assertThat(bytes.getLong()).isEqualTo(-value);
					}
				}
				case "y_bool" -> {
					for (boolean value : bool) {
						assertThat(bytes.get()).isEqualTo((byte) (value ? 0 : 1));
					}
				}
				default -> throw new AssertionError("Unexpected output " + output);
			}
			assertThat(bytes.remaining()).isZero();
			seen++;
		}
		assertThat(seen).isEqualTo(5);
		assertThat(body.remaining()).isZero();
	}

	/**
	 * Binary tensor data requests that do not add up, for the scorer model: {@link HostileClientTests} sends them
	 * too, and checks that each costs no log line above DEBUG.
	 */
	static Stream<V2HostileRequests.Case> badRequests() {
		byte[] json = """
				{"inputs":[{"name":"x_bool","shape":[1,3],"datatype":"BOOL","parameters":{"binary_data_size":3}}]}"""
			.getBytes(StandardCharsets.UTF_8);
		V2HostileRequests.Case bool = new V2HostileRequests.Case("BOOL byte other than 0 or 1",
				request("typed", "application/octet-stream", null, json, new byte[] { 1, 2, 0 }), 400, "0 or 1");
		return Stream.concat(V2HostileRequests.binaryCases().stream(), Stream.of(bool));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badBinaryRequestsAreRefusedWithWhatIsWrongAndTheModelServesOn(V2HostileRequests.Case bad) {
		RawHttp.Response answer = RawHttp.exchange(this.port, bad.request(), Duration.ofSeconds(10));
		assertThat(answer.status()).as(answer.body()).isEqualTo(bad.status());
		assertThat(answer.header("Content-Type")).isEqualTo("application/json");
		assertThat(json(answer.body()).get("error").asString()).contains(bad.error()).doesNotContain("Exception");
		binaryInputAndBinaryOutputAsTheSpecificationShowsThem();
	}

	private float[] expectedScores() {
		return this.registry
			.infer("scorer", null, List.of(Tensor.ofFloats("features", new long[] { 2, 4 }, FEATURES)), List.of())
			.outputs()
			.get(0)
			.floats();
	}

	private RawHttp.Response post(String model, String contentType, String header, byte[] raw) {
		byte[] json = header.getBytes(StandardCharsets.UTF_8);
		return RawHttp.exchange(this.port, request(model, contentType, null, json, raw), Duration.ofSeconds(10));
	}

	private static float[] floats(byte[] littleEndian) {
		ByteBuffer bytes = ByteBuffer.wrap(littleEndian).order(ByteOrder.LITTLE_ENDIAN);
		float[] values = new float[littleEndian.length / 4];
		for (int i = 0; i < values.length; i++) {
			values[i] = bytes.getFloat();
		}
		return values;
	}

	private static JsonNode json(String body) {
		return JSON.readTree(body);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ModelRegistryCustomizer binaryModels() {
			return (builder) -> builder
				.model(TestRegistries.definition(BASE, "scorer", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
				.model(TestRegistries.definition(BASE, "typed", null, HolderStrategy.RWLOCK, LoadMode.EAGER))
				.modelLoader(BehavingModels.onnx());
		}

	}

}
