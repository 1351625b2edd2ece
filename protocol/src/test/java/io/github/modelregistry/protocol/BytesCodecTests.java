package io.github.modelregistry.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import com.google.protobuf.ByteString;
import io.github.modelregistry.protocol.grpc.GrpcRequestDecoder;
import io.github.modelregistry.protocol.grpc.GrpcResponseEncoder;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.tensor.TensorDatatype;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code BYTES} tensors through every codec of the protocol: V2 JSON strings, the binary tensor data extension (each
 * element a 4-byte little-endian length then its bytes, built here byte by byte as the specification lays it out),
 * and gRPC's {@code bytes_contents} and raw contents; and what each refuses.
 */
class BytesCodecTests {

	private final V2RequestDecoder decoder = new V2RequestDecoder(1_000);

	private final V2RequestDecoder pooled = new V2RequestDecoder(1_000, new TensorBufferPool(1 << 20, 1 << 16));

	private final V2ResponseEncoder encoder = new V2ResponseEncoder();

	@Test
	void jsonStringsBecomeABytesTensor() {
		for (V2RequestDecoder decoder : List.of(this.decoder, this.pooled)) {
			try (V2InferenceRequest request = decoder.decode(json("""
					{"inputs": [{"name": "text", "datatype": "BYTES", "shape": [3],
					  "data": ["quiet vegetarian place", "", "caf\\u00e9 \\"fran\\u00e7ais\\" \\ud83c\\udf77"]}]}
					"""))) {
				Tensor text = request.inputs().get(0);
				assertThat(text.datatype()).isSameAs(TensorDatatype.BYTES);
				assertThat(text.strings()).containsExactly("quiet vegetarian place", "", "café \"français\" 🍷");
			}
		}
	}

	@Test
	void nestedJsonStringsFollowTheShape() {
		try (V2InferenceRequest request = this.decoder.decode(json("""
				{"inputs": [{"data": [["a", "b"], ["c", "d"]], "name": "t", "datatype": "BYTES", "shape": [2, 2]}]}
				"""))) {
			assertThat(request.inputs().get(0).strings()).containsExactly("a", "b", "c", "d");
		}
	}

	@Test
	void jsonBytesThatAreNotStringsOrDoNotFitTheShapeAreRefused() {
		assertBadRequest("""
				{"inputs": [{"name": "t", "datatype": "BYTES", "shape": [2], "data": ["a", 1]}]}
				""", "Input 't' data element 1 is not a string (found a number; BYTES data must be strings)");
		assertBadRequest("""
				{"inputs": [{"name": "t", "datatype": "BYTES", "shape": [2], "data": ["a", null]}]}
				""", "Input 't' data element 1 is not a string (found null; BYTES data must be strings)");
		assertBadRequest("""
				{"inputs": [{"name": "t", "datatype": "BYTES", "shape": [3], "data": ["a", "b"]}]}
				""", "Input 't' has 2 data elements but its shape holds 3");
		assertBadRequest("""
				{"inputs": [{"name": "t", "datatype": "FP32", "shape": [1], "data": ["1.5"]}]}
				""", "Input 't' data element 0 is not a number (found a string)");
	}

	@Test
	void jsonThatIsNotUtf8IsRefused() {
		byte[] body = """
				{"inputs": [{"name": "t", "datatype": "BYTES", "shape": [1], "data": ["caf?"]}]}
				""".getBytes(StandardCharsets.UTF_8);
		// A lone continuation byte where the client meant an é
		body[new String(body, StandardCharsets.UTF_8).indexOf('?')] = (byte) 0xA9;
		assertThatThrownBy(() -> this.decoder.decode(body)).isInstanceOf(V2Exception.class)
			.hasMessageStartingWith("Malformed JSON: Invalid UTF-8");
	}

	@Test
	void binaryBytesAreTheExtensionsLayoutReadAsTheyCome() {
		byte[] raw = layout("quiet".getBytes(StandardCharsets.UTF_8), new byte[0], new byte[] { (byte) 0xFF, 0 });
		for (V2RequestDecoder decoder : List.of(this.decoder, this.pooled)) {
			try (V2InferenceRequest request = binary(decoder, "t", "[3]", raw.length, raw)) {
				Tensor tensor = request.inputs().get(0);
				assertThat(tensor.byteStrings()).isDeepEqualTo(new byte[][] { "quiet".getBytes(StandardCharsets.UTF_8),
						new byte[0], new byte[] { (byte) 0xFF, 0 } });
			}
		}
	}

	@Test
	void binaryBytesThatOverrunOrMiscountAreRefusedBeforeTheyReachAModel() {
		byte[] overrun = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 1_000_000).array();
		assertThatThrownBy(() -> binary(this.decoder, "t", "[1]", overrun.length, overrun))
			.isInstanceOf(V2Exception.class)
			.hasMessage("Tensor 't' of datatype BYTES: element 0 declares 1000000 bytes but only 4 are left");
		byte[] two = layout(new byte[] { 'a' }, new byte[] { 'b' });
		assertThatThrownBy(() -> binary(this.decoder, "t", "[3]", two.length, two)).isInstanceOf(V2Exception.class)
			.hasMessage("Input 't' has binary_data_size 10 but its shape [3] of BYTES takes at least 12 bytes "
					+ "(a 4-byte length per element)");
		byte[] three = layout(new byte[] { 'a' }, new byte[] { 'b' }, new byte[] { 'c' });
		assertThatThrownBy(() -> binary(this.decoder, "t", "[2]", three.length, three))
			.isInstanceOf(V2Exception.class)
			.hasMessage("Tensor 't' has shape [2] (2 elements) but 3 BYTES elements");
		assertThatThrownBy(() -> binary(this.decoder, "t", "[1]", 100, layout(new byte[] { 'a' })))
			.isInstanceOf(V2Exception.class)
			.hasMessage("Input 't' declares 100 bytes of binary data but only 5 are left in the request body");
	}

	@Test
	void bytesOutputsAreJsonStringsOrTheExtensionsLayout() throws Exception {
		Tensor text = Tensor.ofStrings("echo", new long[] { 2 }, "é \"q\"", "");
		InferenceResult result = new InferenceResult("m", 1, List.of(text));
		String json = new String(this.encoder.inference(result, null), StandardCharsets.UTF_8);
		assertThat(json).contains("\"datatype\":\"BYTES\"").contains("\"data\":[\"é \\\"q\\\"\",\"\"]");
		V2ResponseEncoder.Answer answer = this.encoder.inference(result, null,
				new V2InferenceRequest.BinaryOutputs(true, Map.of()));
		byte[] expected = layout("é \"q\"".getBytes(StandardCharsets.UTF_8), new byte[0]);
		assertThat(new String(answer.body(), 0, answer.headerLength(), StandardCharsets.UTF_8))
			.contains("\"binary_data_size\":" + expected.length);
		assertThat(java.util.Arrays.copyOfRange(answer.body(), answer.headerLength(), answer.body().length))
			.isEqualTo(expected);
	}

	@Test
	void bytesOutputsThatAreNotTextAreRefusedInJsonAndSentAsBinary() {
		Tensor blob = Tensor.ofBytes("blob", new long[] { 1 }, new byte[] { (byte) 0xC3, 0x28 });
		InferenceResult result = new InferenceResult("m", 1, List.of(blob));
		assertThatThrownBy(() -> this.encoder.inference(result, null)).isInstanceOf(V2Exception.class)
			.hasMessage("Output 'blob' holds BYTES that are not UTF-8 text, which JSON cannot carry: ask for it as "
					+ "binary data (its parameters.binary_data, or the request's binary_data_output)")
			.extracting((ex) -> ((V2Exception) ex).getStatus())
			.isEqualTo(400);
		V2ResponseEncoder.Answer answer = this.encoder.inference(result, null,
				new V2InferenceRequest.BinaryOutputs(false, Map.of("blob", true)));
		assertThat(java.util.Arrays.copyOfRange(answer.body(), answer.headerLength(), answer.body().length))
			.isEqualTo(layout(new byte[] { (byte) 0xC3, 0x28 }));
	}

	@Test
	void grpcBytesContentsAndRawContentsBothDecode() {
		GrpcRequestDecoder grpc = new GrpcRequestDecoder(1_000, null);
		ModelInferRequest typed = ModelInferRequest.newBuilder()
			.setModelName("m")
			.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
				.setName("t")
				.setDatatype("BYTES")
				.addShape(2)
				.setContents(InferTensorContents.newBuilder()
					.addBytesContents(ByteString.copyFromUtf8("naïve"))
					.addBytesContents(ByteString.EMPTY)))
			.build();
		try (GrpcRequestDecoder.Decoded decoded = grpc.decode(typed, null)) {
			assertThat(decoded.inputs().get(0).strings()).containsExactly("naïve", "");
		}
		byte[] raw = layout("naïve".getBytes(StandardCharsets.UTF_8), new byte[0]);
		ModelInferRequest rawRequest = typed.toBuilder()
			.setInputs(0, typed.getInputs(0).toBuilder().clearContents())
			.addRawInputContents(ByteString.copyFrom(raw))
			.build();
		try (GrpcRequestDecoder.Decoded decoded = grpc.decode(rawRequest, null)) {
			assertThat(decoded.inputs().get(0).strings()).containsExactly("naïve", "");
		}
	}

	@Test
	void grpcBytesInTheWrongFieldOrLayoutAreInvalidArguments() {
		GrpcRequestDecoder grpc = new GrpcRequestDecoder(1_000, null);
		ModelInferRequest.InferInputTensor.Builder input = ModelInferRequest.InferInputTensor.newBuilder()
			.setName("t")
			.setDatatype("BYTES")
			.addShape(1);
		assertInvalid(grpc, ModelInferRequest.newBuilder()
			.addInputs(input.clone().setContents(InferTensorContents.newBuilder().addFp32Contents(1)))
			.build(), "Input inputs[0] 't' is BYTES: its elements go in contents.bytes_contents, not fp32_contents");
		assertInvalid(grpc, ModelInferRequest.newBuilder()
			.addInputs(input.clone()
				.setDatatype("FP32")
				.setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8("1"))))
			.build(), "Input inputs[0] 't' is FP32: its elements go in contents.fp32_contents, not bytes_contents");
		assertInvalid(grpc, ModelInferRequest.newBuilder()
			.addInputs(input.clone())
			.addRawInputContents(ByteString.copyFrom(new byte[] { 9, 0, 0, 0, 'a' }))
			.build(), "Input inputs[0] 't': Tensor 't' of datatype BYTES: element 0 declares 9 bytes but only 1 are left");
		assertInvalid(grpc, ModelInferRequest.newBuilder()
			.addInputs(input.clone().setShape(0, 2))
			.addRawInputContents(ByteString.copyFrom(new byte[] { 1, 0, 0, 0 }))
			.build(), "Input inputs[0] 't' has 4 bytes of raw_input_contents but its shape [2] of BYTES takes at least 8"
					+ " bytes (a 4-byte length per element)");
	}

	@Test
	void grpcBytesOutputsAreBytesContentsOrRaw() {
		GrpcResponseEncoder grpc = new GrpcResponseEncoder();
		byte[] binary = { (byte) 0xC3, 0x28 };
		InferenceResult result = new InferenceResult("m", 1,
				List.of(Tensor.ofBytes("out", new long[] { 2 }, "ok".getBytes(StandardCharsets.UTF_8), binary)));
		ModelInferResponse typed = grpc.inference(result, "1", false);
		assertThat(typed.getOutputs(0).getContents().getBytesContentsList())
			.containsExactly(ByteString.copyFromUtf8("ok"), ByteString.copyFrom(binary));
		ModelInferResponse raw = grpc.inference(result, "1", true);
		assertThat(raw.getRawOutputContents(0).toByteArray())
			.isEqualTo(layout("ok".getBytes(StandardCharsets.UTF_8), binary));
	}

	private static void assertInvalid(GrpcRequestDecoder grpc, ModelInferRequest request, String message) {
		assertThatThrownBy(() -> grpc.decode(request, null)).isInstanceOf(StatusRuntimeException.class)
			.satisfies((ex) -> {
				Status status = ((StatusRuntimeException) ex).getStatus();
				assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
				assertThat(status.getDescription()).isEqualTo(message);
			});
	}

	private void assertBadRequest(String body, String message) {
		assertThatThrownBy(() -> this.decoder.decode(json(body))).isInstanceOf(V2Exception.class)
			.hasMessage(message)
			.extracting((ex) -> ((V2Exception) ex).getStatus())
			.isEqualTo(400);
	}

	/** The binary tensor data extension's BYTES layout, byte by byte: a little-endian uint32 length, then the bytes */
	static byte[] layout(byte[]... elements) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte[] element : elements) {
			int length = element.length;
			out.write(length & 0xFF);
			out.write((length >>> 8) & 0xFF);
			out.write((length >>> 16) & 0xFF);
			out.write((length >>> 24) & 0xFF);
			out.writeBytes(element);
		}
		return out.toByteArray();
	}

	private static V2InferenceRequest binary(V2RequestDecoder decoder, String name, String shape, int size,
			byte[] raw) {
		byte[] header = ("{\"inputs\": [{\"name\": \"" + name + "\", \"datatype\": \"BYTES\", \"shape\": " + shape
				+ ", \"parameters\": {\"binary_data_size\": " + size + "}}]}")
			.getBytes(StandardCharsets.UTF_8);
		byte[] body = new byte[header.length + raw.length];
		System.arraycopy(header, 0, body, 0, header.length);
		System.arraycopy(raw, 0, body, header.length, raw.length);
		return decoder.decode(RequestBytes.of(body), null, header.length);
	}

	private static byte[] json(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

}
