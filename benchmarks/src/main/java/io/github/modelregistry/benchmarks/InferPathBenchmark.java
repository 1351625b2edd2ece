package io.github.modelregistry.benchmarks;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.protocol.RequestBytes;
import io.github.modelregistry.protocol.V2InferenceRequest;
import io.github.modelregistry.protocol.V2RequestDecoder;
import io.github.modelregistry.protocol.V2ResponseEncoder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;


/**
 * What the V2 infer endpoint does with a request once its body has arrived, without HTTP: decode the JSON body of a
 * 10×40 FP32 batch, run the committed sample model through the registry ({@code sharded-rcu}), encode the JSON
 * response. µs/op; run with {@code -prof gc} for bytes allocated per request ({@code gc.alloc.rate.norm}).
 * <ul>
 * <li>{@code array-heap}: the path before the tensor pool: the body copied into a {@code byte[]}, the tensor
 * decoded into a heap {@code float[]}, which ONNX Runtime copies into a new direct buffer on every call;</li>
 * <li>{@code stream-heap}: the body parsed where it lies, the tensor still on the heap
 * ({@code model-registry.tensor-pool.enabled=false});</li>
 * <li>{@code stream-pooled}: the body parsed where it lies, the tensor decoded into a pooled direct buffer that
 * ONNX Runtime reads in place (the default).</li>
 * </ul>
 * Command: {@code java -jar benchmarks/target/benchmarks.jar --infer-path} (1 and 2 threads), or JMH's own
 * command line: {@code java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main InferPathBenchmark -t 2
 * -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InferPathBenchmark {

	@State(Scope.Benchmark)
	public static class Server extends InferenceOverheadBenchmark.ModelFolder {

		@Param({ "array-heap", "stream-heap", "stream-pooled" })
		public String path;

		ModelRegistry registry;

		TensorBufferPool pool;

		V2RequestDecoder decoder;

		final V2ResponseEncoder encoder = new V2ResponseEncoder();

		byte[] body;

		@Setup
		public void setUp() throws Exception {
			extract();
			this.registry = SampleModels.registry(SampleModels.SAMPLE, this.folder, "sharded-rcu");
			this.pool = new TensorBufferPool(64 << 20, 4 << 20);
			this.decoder = new V2RequestDecoder(4 << 20, this.path.endsWith("pooled") ? this.pool : null);
			this.body = body(SampleModels.batch(42));
		}

		@TearDown
		public void tearDown() throws Exception {
			if (this.pool.openLeases() != 0) {
				throw new IllegalStateException("Leases left open: " + this.pool);
			}
			this.registry.close();
			delete();
		}

		/**
		 * The request Gatling sends: rows nested, three decimals, as a client writes them.
		 */
		static byte[] body(float[] features) {
			StringBuilder json = new StringBuilder("{\"id\": \"benchmark\", \"inputs\": [{\"name\": \"")
				.append(SampleModels.INPUT)
				.append("\", \"shape\": [")
				.append(SampleModels.BATCH)
				.append(", ")
				.append(SampleModels.FEATURES)
				.append("], \"datatype\": \"FP32\", \"data\": [");
			for (int row = 0; row < SampleModels.BATCH; row++) {
				json.append((row > 0) ? ", [" : "[");
				for (int column = 0; column < SampleModels.FEATURES; column++) {
					json.append((column > 0) ? ", " : "")
						.append(String.format(Locale.ROOT, "%.3f", features[row * SampleModels.FEATURES + column]));
				}
				json.append(']');
			}
			return json.append("]}]}").toString().getBytes(StandardCharsets.UTF_8);
		}

	}

	@Benchmark
	public byte[] decodeInferEncode(Server server) {
		V2InferenceRequest request;
		if (server.path.equals("array-heap")) {
			byte[] copy = server.body.clone();
			request = server.decoder.decode(copy);
		}
		else {
			RequestBytes body = RequestBytes.of(server.body);
			request = server.decoder.decode(body);
		}
		try (request) {
			InferenceResult result = server.registry.infer(SampleModels.SAMPLE, null, request.inputs(),
					request.outputs());
			return server.encoder.inference(result, request.id());
		}
	}

}
