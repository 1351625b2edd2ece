package io.github.modelregistry.benchmarks.text;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.LongBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.onnx.OptimizationLevel;
import io.github.modelregistry.pipeline.MeanPooling;
import io.github.modelregistry.pipeline.Pipeline;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.registry.Batching;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tokenizers.HuggingFaceTokenizerStage;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The ways a Java service can embed one sentence with all-MiniLM-L6-v2 (quantized), each behind one interface: ONNX
 * Runtime called by hand (the floor), LangChain4j's in-process model, the registry in process (batching off and on),
 * and the registry over V2 REST and gRPC (the sample app's {@code restaurant-embeddings}). The model files are the
 * ones the sample app's jar ships (unpacked from LangChain4j's artifact by its build), so every way runs the same
 * network and tokenizer.
 */
final class Embedders {

	/** The model inside the sample app's jar */
	static final String MODEL = "models/restaurant-embeddings/1/";

	private Embedders() {
	}

	/** One way to embed a sentence */
	interface Embedder extends AutoCloseable {

		float[] embed(String text) throws Exception;

		@Override
		default void close() throws Exception {
		}

	}

	/**
	 * Makes an embedder by name.
	 * @param intraOpThreads ONNX Runtime's intra-op threads where the way lets one set them, 0 for its default
	 * @param target host:port of the app for {@code rest} and {@code grpc}
	 */
	static Embedder create(String name, int intraOpThreads, String target) throws Exception {
		return switch (name) {
			case "direct" -> new Direct(intraOpThreads);
			case "langchain4j" -> new LangChain4j();
			case "registry" -> new InProcess(intraOpThreads, false, true);
			case "registry-batching" -> new InProcess(intraOpThreads, true, true);
			case "registry-padded" -> new InProcess(intraOpThreads, true, false);
			case "rest" -> new Rest(target);
			case "grpc" -> new Grpc(target);
			default -> throw new IllegalArgumentException("unknown way " + name
					+ "; one of direct, langchain4j, registry, registry-batching, registry-padded, rest, grpc");
		};
	}

	static byte[] resource(String name) {
		try (InputStream in = Embedders.class.getClassLoader().getResourceAsStream(MODEL + name)) {
			if (in == null) {
				throw new IllegalStateException(MODEL + name + " is not on the class path (the sample app's jar)");
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * ONNX Runtime by hand, what a team writes in an afternoon: the tokenizer without padding, one session, mean
	 * pooling and L2 normalisation in a loop. ORT's default intra-op threads (one per core) unless told.
	 */
	static final class Direct implements Embedder {

		private final OrtEnvironment environment = OrtEnvironment.getEnvironment();

		private final OrtSession session;

		private final HuggingFaceTokenizer tokenizer;

		Direct(int intraOpThreads) throws Exception {
			OrtSession.SessionOptions options = new OrtSession.SessionOptions();
			if (intraOpThreads > 0) {
				options.setIntraOpNumThreads(intraOpThreads);
			}
			this.session = this.environment.createSession(resource("model.onnx"), options);
			this.tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(resource("tokenizer.json")),
					Map.of("padding", "false", "truncation", "true", "maxLength", "256"));
		}

		@Override
		public float[] embed(String text) throws Exception {
			Encoding encoding = this.tokenizer.encode(text);
			long[] ids = encoding.getIds();
			long[] mask = encoding.getAttentionMask();
			long[] shape = { 1, ids.length };
			try (OnnxTensor idTensor = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(ids), shape);
					OnnxTensor maskTensor = OnnxTensor.createTensor(this.environment, LongBuffer.wrap(mask), shape);
					OnnxTensor typeTensor = OnnxTensor.createTensor(this.environment,
							LongBuffer.wrap(encoding.getTypeIds()), shape);
					OrtSession.Result result = this.session.run(Map.of("input_ids", idTensor, "attention_mask",
							maskTensor, "token_type_ids", typeTensor))) {
				float[][][] states = (float[][][]) result.get(0).getValue();
				int dimensions = states[0][0].length;
				float[] vector = new float[dimensions];
				for (float[] token : states[0]) {
					for (int d = 0; d < dimensions; d++) {
						vector[d] += token[d];
					}
				}
				double norm = 0;
				for (int d = 0; d < dimensions; d++) {
					vector[d] /= ids.length;
					norm += vector[d] * vector[d];
				}
				float scale = (float) (1 / Math.sqrt(norm));
				for (int d = 0; d < dimensions; d++) {
					vector[d] *= scale;
				}
				return vector;
			}
		}

		@Override
		public void close() throws Exception {
			this.session.close();
			this.tokenizer.close();
		}

	}

	/** LangChain4j's in-process model of the same artifact, as a user gets it */
	static final class LangChain4j implements Embedder {

		private final AllMiniLmL6V2QuantizedEmbeddingModel model = new AllMiniLmL6V2QuantizedEmbeddingModel();

		@Override
		public float[] embed(String text) {
			return this.model.embed(text).content().vector();
		}

	}

	/** The registry in process: the text pipeline on the starter's defaults (one intra-op thread) unless told */
	static final class InProcess implements Embedder {

		private final Path folder;

		private final ModelRegistry registry;

		/**
		 * @param grouping whether a batch's rows of similar length run together (the default), or every run is
		 * padded to its longest text
		 */
		InProcess(int intraOpThreads, boolean batching, boolean grouping) throws IOException {
			this.folder = Files.createTempDirectory("text-peers");
			Path version = Files.createDirectories(this.folder.resolve("embeddings/1"));
			Files.write(version.resolve("model.onnx"), resource("model.onnx"));
			Files.write(version.resolve("tokenizer.json"), resource("tokenizer.json"));
			OnnxSessionSettings settings = (intraOpThreads > 0)
					? new OnnxSessionSettings(intraOpThreads, 1, OptimizationLevel.ALL) : OnnxSessionSettings.DEFAULT;
			ModelRegistry.Builder builder = ModelRegistry.builder()
				.modelLoader(new OnnxModelLoader(settings))
				.model(new ModelDefinition("embeddings", this.folder.resolve("embeddings").toUri().toString(), null,
						HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
				.pipeline("embeddings", Pipeline.builder()
					.pre("tokenizer", HuggingFaceTokenizerStage.factory())
					.post("pooling", MeanPooling.factory())
					.option("group-by-length", grouping ? "attention_mask" : "off")
					.build());
			if (batching) {
				builder.batching("embeddings", Batching.DEFAULTS);
			}
			this.registry = builder.build();
			this.registry.start();
		}

		@Override
		public float[] embed(String text) {
			return this.registry.inferAsync("embeddings", Tensor.of("text", new String[] { text }))
				.join()
				.outputs()
				.get(0)
				.floats();
		}

		@Override
		public void close() throws IOException {
			this.registry.close();
			try (var files = Files.walk(this.folder)) {
				for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
					Files.delete(path);
				}
			}
		}

	}

	/** V2 REST JSON against the sample app, the JDK's HTTP client and Jackson: one sentence per request */
	static final class Rest implements Embedder {

		private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

		private final URI uri;

		private final JsonMapper json = JsonMapper.builder().build();

		Rest(String target) {
			this.uri = URI.create("http://" + target + "/v2/models/restaurant-embeddings/infer");
		}

		@Override
		public float[] embed(String text) throws Exception {
			String body = this.json.writeValueAsString(Map.of("inputs", List.of(Map.of("name", "text", "datatype",
					"BYTES", "shape", List.of(1), "data", List.of(text)))));
			HttpResponse<byte[]> response = this.client.send(HttpRequest.newBuilder(this.uri)
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
				.build(), HttpResponse.BodyHandlers.ofByteArray());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("HTTP " + response.statusCode() + ": "
						+ new String(response.body(), StandardCharsets.UTF_8));
			}
			JsonNode data = this.json.readTree(response.body()).get("outputs").get(0).get("data");
			float[] vector = new float[data.size()];
			for (int i = 0; i < vector.length; i++) {
				vector[i] = data.get(i).floatValue();
			}
			return vector;
		}

	}

	/** V2 gRPC against the sample app, grpc-java's blocking stub: one sentence per call */
	static final class Grpc implements Embedder {

		private final ManagedChannel channel;

		private final GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

		Grpc(String target) {
			this.channel = NettyChannelBuilder.forTarget(target).usePlaintext().build();
			this.stub = GRPCInferenceServiceGrpc.newBlockingStub(this.channel);
		}

		@Override
		public float[] embed(String text) {
			ModelInferRequest request = ModelInferRequest.newBuilder()
				.setModelName("restaurant-embeddings")
				.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
					.setName("text")
					.setDatatype("BYTES")
					.addShape(1)
					.setContents(InferTensorContents.newBuilder().addBytesContents(ByteString.copyFromUtf8(text))))
				.build();
			List<Float> values = this.stub.withDeadlineAfter(java.util.concurrent.TimeUnit.SECONDS.toMillis(30),
					java.util.concurrent.TimeUnit.MILLISECONDS)
				.modelInfer(request)
				.getOutputs(0)
				.getContents()
				.getFp32ContentsList();
			float[] vector = new float[values.size()];
			for (int i = 0; i < vector.length; i++) {
				vector[i] = values.get(i);
			}
			return vector;
		}

		@Override
		public void close() {
			this.channel.shutdownNow();
		}

	}

}
