package io.github.modelregistry.benchmarks;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.github.modelregistry.protocol.RequestBytes;
import io.github.modelregistry.protocol.grpc.GrpcRequestDecoder;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.protocol.V2InferenceRequest;
import io.github.modelregistry.protocol.V2RequestDecoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;


/**
 * What decoding a request costs each face, from the bytes that arrived to the input tensor in a pooled direct
 * buffer, for the sample model's 10×40 FP32 batch: JSON REST (Jackson's streaming parser, every number parsed), the
 * binary tensor data extension (the JSON header parsed, the 1,600 raw bytes copied), and gRPC (protobuf parses the
 * message, the raw contents are copied). No inference, no HTTP: the goal is binary and gRPC at most 0.3 × JSON's
 * cost. µs/op; {@code -prof gc} gives bytes allocated per request.
 * <p>
 * Command: {@code benchmarks/decode.sh} (about 4 minutes), or {@code java -cp benchmarks/target/benchmarks.jar
 * org.openjdk.jmh.Main DecodeBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DecodeBenchmark {

	@State(Scope.Benchmark)
	public static class Requests {

		final TensorBufferPool pool = new TensorBufferPool(64 << 20, 4 << 20);

		V2RequestDecoder rest;

		GrpcRequestDecoder grpc;

		byte[] json;

		byte[] binary;

		int binaryHeaderLength;

		byte[] protobuf;

		@Setup
		public void setUp() {
			this.rest = new V2RequestDecoder(4 << 20, this.pool);
			this.grpc = new GrpcRequestDecoder(4 << 20, this.pool);
			float[] features = SampleModels.batch(42);
			this.json = InferPathBenchmark.Server.body(features);
			ByteBuffer raw = ByteBuffer.allocate(features.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
			raw.asFloatBuffer().put(features);
			byte[] header = ("{\"id\":\"benchmark\",\"inputs\":[{\"name\":\"" + SampleModels.INPUT + "\",\"shape\":["
					+ SampleModels.BATCH + "," + SampleModels.FEATURES + "],\"datatype\":\"FP32\",\"parameters\":"
					+ "{\"binary_data_size\":" + raw.capacity() + "}}]}")
				.getBytes(StandardCharsets.UTF_8);
			this.binaryHeaderLength = header.length;
			this.binary = new byte[header.length + raw.capacity()];
			System.arraycopy(header, 0, this.binary, 0, header.length);
			System.arraycopy(raw.array(), 0, this.binary, header.length, raw.capacity());
			this.protobuf = ModelInferRequest.newBuilder()
				.setModelName(SampleModels.SAMPLE)
				.setId("benchmark")
				.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
					.setName(SampleModels.INPUT)
					.setDatatype("FP32")
					.addShape(SampleModels.BATCH)
					.addShape(SampleModels.FEATURES))
				.addRawInputContents(ByteString.copyFrom(raw.array()))
				.build()
				.toByteArray();
		}

		@TearDown
		public void tearDown() {
			if (this.pool.openLeases() != 0) {
				throw new IllegalStateException("Leases left open: " + this.pool);
			}
		}

	}

	@Benchmark
	public float json(Requests requests) {
		RequestBytes body = RequestBytes.of(requests.json);
		try (V2InferenceRequest request = requests.rest.decode(body)) {
			return request.inputs().get(0).bytes().getFloat(0);
		}
	}

	@Benchmark
	public float binary(Requests requests) {
		RequestBytes body = RequestBytes.of(requests.binary);
		try (V2InferenceRequest request = requests.rest.decode(body, null, requests.binaryHeaderLength)) {
			return request.inputs().get(0).bytes().getFloat(0);
		}
	}

	@Benchmark
	public float grpc(Requests requests) throws InvalidProtocolBufferException {
		// What grpc-java does with the message's bytes, then what the face does with the message
		ModelInferRequest message = ModelInferRequest.parseFrom(requests.protobuf);
		try (GrpcRequestDecoder.Decoded request = requests.grpc.decode(message, null)) {
			return request.inputs().get(0).bytes().getFloat(0);
		}
	}

}
