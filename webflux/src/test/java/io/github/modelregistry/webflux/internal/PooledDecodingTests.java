package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.protocol.V2ResponseEncoder;
import io.github.modelregistry.protocol.V2RequestDecoder;
import io.github.modelregistry.protocol.V2InferenceRequest;
import io.github.modelregistry.protocol.V2Exception;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.onnx.OnnxModel;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Decoding into pooled direct buffers against decoding into heap arrays, on real ONNX Runtime sessions: the same
 * bits in, the same bits out, and under concurrency no request ever runs on another request's data.
 * <p>
 * Run alone: {@code ./mvnw -pl autoconfigure test -Dtest=PooledDecodingTests}.
 */
class PooledDecodingTests {

	private final OnnxModelLoader loader = new OnnxModelLoader(OnnxSessionSettings.DEFAULT);

	private final TensorBufferPool pool = new TensorBufferPool(1 << 20, 1 << 16);

	private final V2RequestDecoder pooled = new V2RequestDecoder(1 << 20, this.pool);

	private final V2RequestDecoder heap = new V2RequestDecoder(1 << 20);

	private final V2ResponseEncoder encoder = new V2ResponseEncoder();

	private final List<OnnxModel> models = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (OnnxModel model : this.models) {
			model.close();
		}
		assertThat(this.pool.openLeases()).isZero();
	}

	private OnnxModel load(String name, byte[] model) throws Exception {
		OnnxModel loaded = this.loader.load(name, 1, "memory", model);
		this.models.add(loaded);
		return loaded;
	}

	@Test
	void pooledAndHeapDecodingGiveBitIdenticalResultsForEveryDatatype() throws Exception {
		OnnxModel model = load("typed", TestModels.everyDatatype());
		SplittableRandom random = new SplittableRandom(7);
		for (int i = 0; i < 200; i++) {
			int rows = 1 + random.nextInt(8);
			String body = "{\"id\": \"r" + i + "\", \"inputs\": [" + String.join(", ",
					input("x_fp32", "FP32", rows, () -> Float.toString((float) (random.nextDouble() * 2e6 - 1e6))),
					input("x_fp64", "FP64", rows, () -> Double.toString(random.nextGaussian() * 1e-300)),
					input("x_int32", "INT32", rows, () -> Integer.toString(random.nextInt())),
					input("x_int64", "INT64", rows, () -> Long.toString(random.nextLong())),
					input("x_bool", "BOOL", rows, () -> Boolean.toString(random.nextBoolean())))
					+ "]}";
			byte[] heapAnswer = answer(model, this.heap, body, false);
			byte[] pooledAnswer = answer(model, this.pooled, body, true);
			assertThat(pooledAnswer).isEqualTo(heapAnswer);
		}
		assertThat(this.pool.hits()).as("buffers were reused across requests").isPositive();
	}

	@Test
	void pooledAndHeapDecodingAgreeForInt16Int8AndUint8AtTheirExtremes() throws Exception {
		OnnxModel model = load("narrow", TestModels.narrowIntegers());
		String body = "{\"inputs\": [" + String.join(", ",
				"{\"name\": \"x_int16\", \"shape\": [1, 3], \"datatype\": \"INT16\", \"data\": [-32768, -1, 32767]}",
				"{\"name\": \"x_int8\", \"shape\": [1, 3], \"datatype\": \"INT8\", \"data\": [-128, -1, 127]}",
				"{\"name\": \"x_uint8\", \"shape\": [1, 3], \"datatype\": \"UINT8\", \"data\": [0, 128, 255]}")
				+ "]}";
		byte[] heapAnswer = answer(model, this.heap, body, false);
		assertThat(answer(model, this.pooled, body, true)).isEqualTo(heapAnswer);
		assertThat(new String(heapAnswer, StandardCharsets.UTF_8))
			.contains("{\"name\":\"y_int16\",\"datatype\":\"INT16\",\"shape\":[1,3],\"data\":[-32768,-1,32767]}")
			.contains("{\"name\":\"y_int8\",\"datatype\":\"INT8\",\"shape\":[1,3],\"data\":[-128,-1,127]}")
			.contains("{\"name\":\"y_uint8\",\"datatype\":\"UINT8\",\"shape\":[1,3],\"data\":[0,128,255]}")
			.contains("{\"name\":\"z_uint8\",\"datatype\":\"INT64\",\"shape\":[1,3],\"data\":[0,128,255]}");
	}

	@Test
	void fp32OutputsKeepTheirShortestFormAndEveryDatatypeItsJsonForm() throws Exception {
		OnnxModel model = load("typed", TestModels.everyDatatype());
		String body = "{\"inputs\": [" + String.join(", ", input("x_fp32", "FP32", 1, values("0.1", "-2.5", "3")),
				input("x_fp64", "FP64", 1, values("0.1", "1e-300", "-0.0")),
				input("x_int32", "INT32", 1, values("2147483647", "-2", "0")),
				input("x_int64", "INT64", 1, values("9223372036854775807", "-9223372036854775807", "0")),
				input("x_bool", "BOOL", 1, values("true", "false", "true"))) + "]}";
		for (boolean pooledPath : new boolean[] { false, true }) {
			String answer = new String(answer(model, pooledPath ? this.pooled : this.heap, body, pooledPath),
					StandardCharsets.UTF_8);
			assertThat(answer).contains("\"y_fp32\",\"datatype\":\"FP32\",\"shape\":[1,3],\"data\":[-0.1,2.5,-3.0]}")
				.contains("\"y_fp64\",\"datatype\":\"FP64\",\"shape\":[1,3],\"data\":[-0.1,-1.0E-300,0.0]}")
				.contains("\"y_int32\",\"datatype\":\"INT32\",\"shape\":[1,3],\"data\":[-2147483647,2,0]}")
				.contains("\"data\":[-9223372036854775807,9223372036854775807,0]}")
				.contains("\"y_bool\",\"datatype\":\"BOOL\",\"shape\":[1,3],\"data\":[false,true,false]}");
		}
	}

	@Test
	void pooledTensorsHoldExactlyTheHeapTensorsBits() {
		SplittableRandom random = new SplittableRandom(11);
		String body = "{\"inputs\": [" + input("x", "FP32", 50, () -> Double.toString(random.nextGaussian() * 1e30))
				+ "]}";
		try (V2InferenceRequest fromHeap = this.heap.decode(bytes(body));
				V2InferenceRequest fromPool = this.pooled.decode(DataBufferBytes.of(direct(body)))) {
			Tensor expected = fromHeap.inputs().get(0);
			Tensor actual = fromPool.inputs().get(0);
			assertThat(actual.data().isDirect()).isTrue();
			assertThat(expected.data().isDirect()).isFalse();
			float[] expectedFloats = expected.floats();
			float[] actualFloats = actual.floats();
			assertThat(actualFloats).hasSameSizeAs(expectedFloats);
			for (int i = 0; i < expectedFloats.length; i++) {
				assertThat(Float.floatToRawIntBits(actualFloats[i])).isEqualTo(Float.floatToRawIntBits(expectedFloats[i]));
			}
		}
	}

	@Test
	void aFailedDecodeReturnsTheBuffersItHadTaken() {
		String first = input("a", "FP32", 2, () -> "1.5");
		List<String> broken = List.of(
				// The second input's data does not match its shape: the first input's buffer is already taken
				"{\"inputs\": [" + first + ", {\"name\": \"b\", \"shape\": [2, 3], \"datatype\": \"FP32\", \"data\": [1]}]}",
				// Not a number, half-way through a buffer
				"{\"inputs\": [" + first + ", {\"name\": \"b\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, \"x\", 3]}]}",
				// Cut off inside the data
				"{\"inputs\": [" + first + ", {\"name\": \"b\", \"shape\": [1, 3], \"datatype\": \"FP32\", \"data\": [1, 2",
				// A name given twice, noticed after both buffers were filled
				"{\"inputs\": [" + first + ", " + first + "]}",
				// Valid inputs, then trailing garbage
				"{\"inputs\": [" + first + "]} []");
		for (String body : broken) {
			assertThatExceptionOfType(V2Exception.class).isThrownBy(() -> this.pooled.decode(DataBufferBytes.of(direct(body))));
			assertThat(this.pool.openLeases()).as(body).isZero();
		}
		assertThat(this.pool.hits() + this.pool.misses()).as("buffers were taken before each failure")
			.isGreaterThanOrEqualTo(broken.size());
	}

	@Test
	void dataBeforeShapeIsDecodedFromTheBufferAsWell() {
		String body = "{\"inputs\": [{\"name\": \"x\", \"data\": [[1, 2], [3, 4]], \"datatype\": \"INT64\", "
				+ "\"shape\": [2, 2]}]}";
		try (V2InferenceRequest request = this.pooled.decode(DataBufferBytes.of(direct(body)))) {
			assertThat(request.inputs().get(0).longs()).containsExactly(1, 2, 3, 4);
		}
	}

	/**
	 * Four threads run 2,000 requests each through one real session, taking turns over 64 distinct requests whose
	 * outputs were computed one at a time on the heap path first. The pool is small, so its few buffers pass from
	 * request to request all the time: a buffer reused while ONNX Runtime still read it would change some output.
	 */
	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void concurrentInferencesNeverRunOnAnotherRequestsData() throws Exception {
		OnnxModel model = load("perceptron", TestModels.perceptron(40, 256, 3));
		TensorBufferPool small = new TensorBufferPool(4 * 8192, 8192);
		V2RequestDecoder decoder = new V2RequestDecoder(1 << 20, small);
		SplittableRandom random = new SplittableRandom(5);
		List<String> bodies = new ArrayList<>();
		List<byte[]> expected = new ArrayList<>();
		for (int i = 0; i < 64; i++) {
			String body = "{\"inputs\": [" + input("features", "FP32", 1 + random.nextInt(40),
					() -> String.format(Locale.ROOT, "%.4f", random.nextDouble())) + "]}";
			bodies.add(body);
			expected.add(answer(model, this.heap, body, false));
		}
		int threads = 4;
		int requests = 2_000;
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Integer>> wrong = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				wrong.add(executor.submit(() -> {
					start.await();
					int mismatches = 0;
					for (int i = 0; i < requests; i++) {
						int which = (thread * 17 + i) % bodies.size();
						if (!java.util.Arrays.equals(answer(model, decoder, bodies.get(which), true),
								expected.get(which))) {
							mismatches++;
						}
					}
					return mismatches;
				}));
			}
			int mismatches = 0;
			for (Future<Integer> result : wrong) {
				mismatches += result.get();
			}
			assertThat(mismatches).isZero();
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(small.openLeases()).isZero();
		assertThat(small.hits()).isGreaterThan((long) threads * requests / 2);
		assertThat(small.bytesHeld()).isLessThanOrEqualTo(small.maxBytes());
	}

	private byte[] answer(OnnxModel model, V2RequestDecoder decoder, String body, boolean fromDataBuffer) {
		try (V2InferenceRequest request = fromDataBuffer ? decoder.decode(DataBufferBytes.of(direct(body))) : decoder.decode(bytes(body))) {
			List<Tensor> outputs = model.run(request.inputs(), request.outputs());
			return this.encoder.inference(new InferenceResult(model.name(), model.version(), outputs), request.id());
		}
	}

	private static String input(String name, String datatype, int rows, java.util.function.Supplier<String> value) {
		int columns = 3;
		StringBuilder data = new StringBuilder();
		if (name.equals("features")) {
			columns = 40;
		}
		for (int i = 0; i < rows * columns; i++) {
			data.append((i > 0) ? ", " : "").append(value.get());
		}
		return "{\"name\": \"" + name + "\", \"shape\": [" + rows + ", " + columns + "], \"datatype\": \"" + datatype
				+ "\", \"data\": [" + data + "]}";
	}

	/**
	 * Gives the values in turn, over and over.
	 */
	private static java.util.function.Supplier<String> values(String... values) {
		int[] next = { 0 };
		return () -> values[next[0]++ % values.length];
	}

	private static byte[] bytes(String body) {
		return body.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The body in a direct buffer, as Netty hands it over.
	 */
	private static DataBuffer direct(String body) {
		byte[] bytes = bytes(body);
		java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
		return DefaultDataBufferFactory.sharedInstance.wrap(buffer);
	}

}
