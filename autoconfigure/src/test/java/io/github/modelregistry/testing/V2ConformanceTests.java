package io.github.modelregistry.testing;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.ReloadResult;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.tensor.Tensor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Open Inference Protocol's REST API, as every V2 REST face must serve it, with real ONNX models: each face's
 * test extends this one with a {@code @SpringBootTest} on a real server (Netty for WebFlux, Tomcat for Spring MVC)
 * at a random port, with an application that imports {@link Models}, and with
 * {@code model-registry.web.max-request-size=64KB}, {@code model-registry.web.max-elements=100000} and
 * {@code resilience4j.bulkhead.instances.scorer.max-concurrent-calls=1000} (these tests are about the protocol and
 * reload safety under 1,000 concurrent requests, so the bulkhead admits them all; each face's resilience tests cover
 * a full one).
 */
public abstract class V2ConformanceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("v2-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("scorer", 2, TestModels.scorer(4, 1f))
		.with("typed", 1, TestModels.everyDatatype());

	private static final Path BASE = MODELS.base();

	private static final String SCORES = """
			{"id": "request-42", "inputs": [{"name": "features", "shape": [2, 4], "datatype": "FP32",
			  "data": [4, 3, 2, 1, 0, 0, 0, 0]}]}""";

	private RestTestClient client;

	@Autowired
	private ModelRegistry registry;

	/** The threads that ran the scorer model. */
	private static final Queue<String> threads = new ConcurrentLinkedQueue<>();

	@LocalServerPort
	private int port;

	@org.junit.jupiter.api.BeforeEach
	void sendJson() {
		// A String would go as text/plain
		this.client = RestTestClient.bindToServer()
			.baseUrl("http://localhost:" + this.port)
			.defaultHeader(org.springframework.http.HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.build();
	}

	@Test
	void serverMetadataAndHealth() {
		this.client.get().uri("/v2").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.name").isEqualTo("model-registry")
			.jsonPath("$.version").isNotEmpty()
			.jsonPath("$.extensions").isArray();
		this.client.get().uri("/v2/health/live").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.live").isEqualTo(true);
		// The lazy model that cannot load does not hold readiness back; the eager ones are available
		this.client.get().uri("/v2/health/ready").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.ready").isEqualTo(true);
	}

	@Test
	void headAnswersLikeGetWithoutABody() {
		for (String uri : List.of("/v2", "/v2/health/live", "/v2/health/ready", "/v2/models/scorer",
				"/v2/models/scorer/ready", "/v2/models/scorer/versions/2", "/v2/models/scorer/versions/2/ready")) {
			this.client.head().uri(uri).exchange().expectStatus().isOk().expectBody().isEmpty();
		}
		this.client.head().uri("/v2/models/nope").exchange().expectStatus().isNotFound().expectBody().isEmpty();
	}

	@Test
	void modelMetadataDescribesInputsAndOutputs() {
		for (String uri : new String[] { "/v2/models/scorer", "/v2/models/scorer/versions/2" }) {
			this.client.get().uri(uri).exchange().expectStatus().isOk().expectBody()
				.jsonPath("$.name").isEqualTo("scorer")
				.jsonPath("$.versions").isEqualTo(List.of("2"))
				.jsonPath("$.platform").isEqualTo("onnxruntime_onnx")
				.jsonPath("$.inputs[0].name").isEqualTo("features")
				.jsonPath("$.inputs[0].datatype").isEqualTo("FP32")
				.jsonPath("$.inputs[0].shape").isEqualTo(List.of(-1, 4))
				.jsonPath("$.outputs[0].name").isEqualTo("score")
				.jsonPath("$.outputs[0].shape").isEqualTo(List.of(-1, 1));
		}
		this.client.get().uri("/v2/models/typed").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.inputs[*].datatype").isEqualTo(List.of("FP32", "FP64", "INT32", "INT64", "BOOL"));
		this.client.get().uri("/v2/models/scorer/versions/1").exchange().expectStatus().isNotFound().expectBody()
			.jsonPath("$.error").value(String.class, (error) -> assertThat(error).contains("Version 1"));
	}

	@Test
	void modelReadiness() {
		expectReady("/v2/models/scorer/ready", 200, true);
		expectReady("/v2/models/scorer/versions/2/ready", 200, true);
		// On disk but not served
		expectReady("/v2/models/scorer/versions/1/ready", 503, false);
		expectReady("/v2/models/broken/ready", 503, false);
		this.client.get().uri("/v2/models/scorer/versions/9/ready").exchange().expectStatus().isNotFound();
		this.client.get().uri("/v2/models/nope/ready").exchange().expectStatus().isNotFound();
	}

	private void expectReady(String uri, int status, boolean ready) {
		this.client.get().uri(uri).exchange().expectStatus().isEqualTo(status).expectBody()
			.jsonPath("$.ready").isEqualTo(ready);
	}

	@Test
	void inferEchoesTheIdAndReturnsWhatTheModelComputes() {
		float[] expected = this.registry.infer("scorer", null,
				List.of(Tensor.ofFloats("features", new long[] { 2, 4 }, 4, 3, 2, 1, 0, 0, 0, 0)), List.of())
			.outputs().get(0).floats();
		for (String uri : new String[] { "/v2/models/scorer/infer", "/v2/models/scorer/versions/2/infer" }) {
			this.client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(SCORES).exchange()
				.expectStatus().isOk().expectHeader().contentType(MediaType.APPLICATION_JSON).expectBody()
				.jsonPath("$.model_name").isEqualTo("scorer")
				.jsonPath("$.model_version").isEqualTo("2")
				.jsonPath("$.id").isEqualTo("request-42")
				.jsonPath("$.outputs[0].name").isEqualTo("score")
				.jsonPath("$.outputs[0].datatype").isEqualTo("FP32")
				.jsonPath("$.outputs[0].shape").isEqualTo(List.of(2, 1))
				.jsonPath("$.outputs[0].data").value(List.class, (data) -> {
					assertThat(data).hasSize(2);
					assertThat(((Number) data.get(0)).floatValue()).isEqualTo(expected[0]);
					assertThat(((Number) data.get(1)).floatValue()).isEqualTo(expected[1]);
				});
		}
	}

	@Test
	void nestedDataAndAnyFieldOrderDecodeLikeFlatData() {
		String flat = body(this.client.post().uri("/v2/models/scorer/infer").body(SCORES));
		String nested = body(this.client.post().uri("/v2/models/scorer/infer").body("""
				{"id": "request-42", "inputs": [{"name": "features", "shape": [2, 4], "datatype": "FP32",
				  "data": [[4, 3, 2, 1], [0, 0, 0, 0]]}]}"""));
		String dataFirst = body(this.client.post().uri("/v2/models/scorer/infer").body("""
				{"inputs": [{"data": [[4.0, 3.0, 2.0, 1.0], [0, 0, 0, 0]], "datatype": "FP32",
				  "name": "features", "shape": [2, 4], "parameters": {"binary_data": false}}],
				 "parameters": {"priority": 1}, "id": "request-42", "extension_field": [1, {"a": 2}]}"""));
		assertThat(nested).isEqualTo(flat);
		assertThat(dataFirst).isEqualTo(flat);
	}

	private static String body(RestTestClient.RequestHeadersSpec<?> request) {
		return request.exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody();
	}

	@Test
	void everyDatatypeRoundTripsAndOutputsCanBeSelected() {
		this.client.post().uri("/v2/models/typed/infer").body("""
				{"inputs": [
				  {"name": "x_fp32", "shape": [1, 3], "datatype": "FP32", "data": [1.5, -2, 0]},
				  {"name": "x_fp64", "shape": [1, 3], "datatype": "FP64", "data": [1.5, -2, 0.25]},
				  {"name": "x_int32", "shape": [1, 3], "datatype": "INT32", "data": [1, -2, 2147483647]},
				  {"name": "x_int64", "shape": [1, 3], "datatype": "INT64", "data": [1099511627776, -2, 0]},
				  {"name": "x_bool", "shape": [1, 3], "datatype": "BOOL", "data": [true, false, true]}],
				 "outputs": [{"name": "y_int64"}, {"name": "y_bool", "parameters": {}}, {"name": "y_int32"}]}""")
			.exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.outputs.length()").isEqualTo(3)
			.jsonPath("$.outputs[0].name").isEqualTo("y_int64")
			.jsonPath("$.outputs[0].datatype").isEqualTo("INT64")
			.jsonPath("$.outputs[0].data").isEqualTo(List.of(-1099511627776L, 2, 0))
			.jsonPath("$.outputs[1].name").isEqualTo("y_bool")
			.jsonPath("$.outputs[1].data").isEqualTo(List.of(false, true, false))
			.jsonPath("$.outputs[2].data").isEqualTo(List.of(-1, 2, -2147483647))
			.jsonPath("$.id").doesNotExist();
	}

	static Stream<Arguments> badRequests() {
		String scorer = "/v2/models/scorer/infer";
		String typed = "/v2/models/typed/infer";
		return Stream.of(
				bad("malformed JSON", scorer, "{\"inputs\": [", 400, "Malformed JSON"),
				bad("not an object", scorer, "[1, 2]", 400, "must be a JSON object"),
				bad("trailing content", scorer, SCORES + " 42", 400, "after the request's JSON object"),
				bad("no inputs field", scorer, "{}", 400, "Missing field 'inputs'"),
				bad("inputs not an array", scorer, "{\"inputs\": {}}", 400, "'inputs' must be an array"),
				bad("inputs empty", scorer, "{\"inputs\": []}", 400, "at least one input"),
				bad("input not an object", scorer, "{\"inputs\": [1]}", 400, "'inputs[0]' must be an object"),
				bad("id not a string", scorer, SCORES.replace("\"request-42\"", "42"), 400, "'id' must be a string"),
				bad("parameters not an object", scorer, "{\"parameters\": 1, \"inputs\": []}", 400,
						"'parameters' must be an object"),
				bad("input without name", scorer, input(null, "[2, 4]", "FP32", "[1,2,3,4,5,6,7,8]"), 400,
						"missing field 'name'"),
				bad("input without shape", scorer, input("features", null, "FP32", "[1,2,3,4,5,6,7,8]"), 400,
						"Input 'features' is missing field 'shape'"),
				bad("input without datatype", scorer, input("features", "[2, 4]", null, "[1,2,3,4,5,6,7,8]"), 400,
						"Input 'features' is missing field 'datatype'"),
				bad("input without data", scorer, input("features", "[2, 4]", "FP32", null), 400,
						"Input 'features' is missing field 'data'"),
				bad("name not a string", scorer, input("5", "[2, 4]", "FP32", "[1,2,3,4,5,6,7,8]").replace("\"5\"", "5"),
						400, "'inputs[0].name' must be a string"),
				bad("negative dimension", scorer, input("features", "[-1, 4]", "FP32", "[1,2,3,4]"), 400,
						"non-negative integers"),
				bad("shape not an array", scorer, input("features", "\"2x4\"", "FP32", "[1,2,3,4,5,6,7,8]"), 400,
						"'inputs[0].shape' must be an array"),
				bad("decimal dimension", scorer, input("features", "[2.5, 4]", "FP32", "[1,2,3,4,5,6,7,8]"), 400,
						"non-negative integers"),
				bad("unknown datatype", scorer, input("features", "[2, 4]", "FP16", "[1,2,3,4,5,6,7,8]"), 400,
						"Unsupported datatype 'FP16'"),
				bad("wrong datatype", scorer, input("features", "[2, 4]", "FP64", "[1,2,3,4,5,6,7,8]"), 400,
						"Input 'features' has datatype FP64 but model 'scorer' expects FP32"),
				bad("unknown input", scorer, input("feature", "[2, 4]", "FP32", "[1,2,3,4,5,6,7,8]"), 400,
						"Unknown input 'feature'"),
				bad("wrong shape", scorer, input("features", "[2, 3]", "FP32", "[1,2,3,4,5,6]"), 400,
						"has shape [2, 3] but model 'scorer' expects [-1, 4]"),
				bad("too little data", scorer, input("features", "[2, 4]", "FP32", "[1,2,3,4,5,6,7]"), 400,
						"has 7 data elements but its shape holds 8"),
				bad("too much data", scorer, input("features", "[2, 4]", "FP32", "[1,2,3,4,5,6,7,8,9]"), 400,
						"more data elements than its shape holds (8)"),
				bad("a string in the data", scorer, input("features", "[2, 4]", "FP32", "[1,2,3,\"4\",5,6,7,8]"), 400,
						"Input 'features' data element 3 is not a number (found a string)"),
				bad("null in the data", scorer, input("features", "[2, 4]", "FP32", "[1,2,3,4,5,null,7,8]"), 400,
						"data element 5 is not a number (found null)"),
				bad("an object in the data", scorer, input("features", "[1, 4]", "FP32", "[1,{},3,4]"), 400,
						"data element 1 is not a number (found an object)"),
				bad("data not an array", scorer, input("features", "[1, 1]", "FP32", "5"), 400,
						"'inputs[0].data' must be an array"),
				bad("decimal in INT32 data", typed, typed("INT32", "[1.5, 2, 3]"), 400,
						"Input 'x_int32' data element 0 is not an integer (found a decimal number)"),
				bad("INT32 out of range", typed, typed("INT32", "[1, 3000000000, 3]"), 400,
						"data element 1 (3000000000) is out of range"),
				bad("INT64 out of range", typed, typed("INT64", "[1, 2, 99999999999999999999]"), 400,
						"data element 2 is out of range"),
				bad("number as BOOL", typed, typed("BOOL", "[1, 0, 1]"), 400, "is not a boolean"),
				bad("FP32 beyond a float", typed, typed("FP32", "[1, 1e39, 3]"), 400,
						"Input 'x_fp32' data element 1 (1e39) is out of range for FP32"),
				bad("FP64 beyond a double", typed, typed("FP64", "[1e400, 2, 3]"), 400,
						"Input 'x_fp64' data element 0 (1e400) is out of range for FP64"),
				bad("data given twice", scorer, "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], "
						+ "\"datatype\": \"FP32\", \"data\": [1, 2, 3, 4], \"data\": [5, 6, 7, 8]}]}", 400,
						"Duplicate"),
				bad("ragged data", scorer, input("features", "[2, 4]", "FP32", "[[1, 2, 3], [4, 5, 6, 7, 8]]"), 400,
						"Input 'features' data is ragged: an array at depth 2 holds 3 entries where its shape [2, 4] has 4"),
				bad("data nested as another shape", scorer,
						input("features", "[2, 4]", "FP32", "[[1, 2], [3, 4], [5, 6], [7, 8]]"), 400,
						"data is ragged: an array at depth 2 holds 2 entries where its shape [2, 4] has 4"),
				bad("data nested deeper than the shape", scorer,
						input("features", "[2, 4]", "FP32", "[[[1, 2, 3, 4]], [[5, 6, 7, 8]]]"), 400,
						"Input 'features' data is nested deeper than its shape [2, 4]"),
				bad("numbers beside arrays", scorer, input("features", "[2, 4]", "FP32", "[[1, 2, 3, 4], 5, 6, 7, 8]"),
						400, "Input 'features' data mixes numbers and arrays at depth 1"),
				bad("huge shape in a few bytes", scorer, input("features", "[25000, 4]", "FP32", "[1]"), 400,
						"Input 'features' declares 100000 elements (shape [25000, 4]) but the"),
				bad("missing input", typed, "{\"inputs\": [" + typedInput("FP32", "[1, 2, 3]") + "]}", 400,
						"Missing input 'x_fp64' for model 'typed'"),
				bad("input given twice", scorer, "{\"inputs\": [" + features() + ", " + features() + "]}", 400,
						"Input 'features' is given more than once"),
				bad("unknown output", scorer, SCORES.replace("}]}", "}], \"outputs\": [{\"name\": \"probability\"}]}"),
						400, "Unknown output 'probability'"),
				bad("outputs not an array", scorer, SCORES.replace("}]}", "}], \"outputs\": \"score\"}"), 400,
						"Field 'outputs' must be an array"),
				bad("output without name", scorer, SCORES.replace("}]}", "}], \"outputs\": [{}]}"), 400,
						"'outputs[0]' is missing field 'name'"),
				bad("unknown model", "/v2/models/nope/infer", SCORES, 404, "Unknown model 'nope'"),
				bad("version not served", "/v2/models/scorer/versions/1/infer", SCORES, 404,
						"Version 1 of model 'scorer' is not served; served: [2]"),
				bad("version not a number", "/v2/models/scorer/versions/latest/infer", SCORES, 400,
						"Model version 'latest' is not a positive integer"),
				bad("version zero", "/v2/models/scorer/versions/0/infer", SCORES, 400, "not a positive integer"),
				bad("model that cannot load", "/v2/models/broken/infer", SCORES, 503,
						"is not available: No version of model 'broken' found"),
				bad("too many elements", scorer, input("features", "[30000, 4]", "FP32", "[]"), 413,
						"limit of 100000 elements (model-registry.web.max-elements)"),
				bad("body over the size limit", scorer, "{\"inputs\": [" + features() + "], \"padding\": \""
						+ "x".repeat(70_000) + "\"}", 413, "larger than the limit of 65536 bytes"));
	}

	private static Arguments bad(String what, String uri, String body, int status, String error) {
		return Arguments.of(what, uri, body, status, error);
	}

	private static String input(@Nullable String name, @Nullable String shape, @Nullable String datatype,
			@Nullable String data) {
		List<String> fields = new ArrayList<>();
		if (name != null) {
			fields.add("\"name\": \"" + name + "\"");
		}
		if (shape != null) {
			fields.add("\"shape\": " + shape);
		}
		if (datatype != null) {
			fields.add("\"datatype\": \"" + datatype + "\"");
		}
		if (data != null) {
			fields.add("\"data\": " + data);
		}
		return "{\"inputs\": [{" + String.join(", ", fields) + "}]}";
	}

	private static String features() {
		return "{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2, 3, 4]}";
	}

	private static String typedInput(String datatype, String data) {
		return "{\"name\": \"x_" + datatype.toLowerCase() + "\", \"shape\": [1, 3], \"datatype\": \"" + datatype
				+ "\", \"data\": " + data + "}";
	}

	/**
	 * A request for the typed model where every input is valid but the one of {@code datatype}.
	 */
	private static String typed(String datatype, String data) {
		List<String> inputs = new ArrayList<>();
		for (String type : new String[] { "FP32", "FP64", "INT32", "INT64", "BOOL" }) {
			inputs.add(typedInput(type, type.equals(datatype) ? data
					: type.equals("BOOL") ? "[true, false, true]" : "[1, 2, 3]"));
		}
		return "{\"inputs\": [" + String.join(", ", inputs) + "]}";
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badRequestsAreAnsweredWithAJsonErrorNamingTheProblem(String what, String uri, String body, int status,
			String error) {
		this.client.post().uri(uri).contentType(MediaType.APPLICATION_JSON).body(body).exchange()
			.expectStatus().isEqualTo(status)
			.expectHeader().contentType(MediaType.APPLICATION_JSON)
			.expectBody()
			.jsonPath("$.error").value(String.class, (message) -> assertThat(message).contains(error))
			.jsonPath("$.trace").doesNotExist();
		// The server still answers a valid request, with the same model
		this.client.post().uri("/v2/models/scorer/infer").body(SCORES).exchange().expectStatus().isOk()
			.expectBody().jsonPath("$.model_version").isEqualTo("2");
	}

	@Test
	void aBodyThatIsNotUtf8IsRefused() {
		for (java.nio.charset.Charset charset : List.of(java.nio.charset.StandardCharsets.UTF_16BE,
				java.nio.charset.StandardCharsets.UTF_16LE, java.nio.charset.StandardCharsets.UTF_16)) {
			this.client.post().uri("/v2/models/scorer/infer").contentType(MediaType.APPLICATION_JSON)
				.body(SCORES.getBytes(charset)).exchange().expectStatus().isBadRequest().expectBody()
				.jsonPath("$.error").isEqualTo("The request body must be JSON in UTF-8, not UTF-16 or UTF-32");
		}
	}

	@Test
	void aContentTypeThatIsNotAMediaTypeIsUnsupported() throws Exception {
		// Spring's own clients refuse to send it: the JDK's does
		java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + this.port + "/v2/models/scorer/infer"))
				.header("Content-Type", "@@@")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(SCORES))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).isEqualTo(415);
		assertThat(response.body())
			.isEqualTo("{\"error\":\"Content type '@@@' is not a media type: send application/json\"}");
	}

	@Test
	void notJsonIsUnsupportedMediaType() {
		this.client.post().uri("/v2/models/scorer/infer").contentType(MediaType.TEXT_PLAIN).body(SCORES)
			.exchange().expectStatus().isEqualTo(415).expectBody()
			.jsonPath("$.error")
			.isEqualTo("Content type 'text/plain' is not supported: send application/json, or "
					+ "application/octet-stream with Inference-Header-Content-Length");
		this.client.post().uri("/v2/models/scorer/infer").contentType(MediaType.APPLICATION_FORM_URLENCODED)
			.body(SCORES).exchange().expectStatus().isEqualTo(415);
		this.client.post().uri("/v2/models/scorer/infer").contentType(MediaType.valueOf("application/vnd.v2+json"))
			.body(SCORES).exchange().expectStatus().isOk();
	}

	@Test
	void anEmptyBodyIsABadRequest() {
		this.client.post().uri("/v2/models/scorer/infer").contentType(MediaType.APPLICATION_JSON).exchange()
			.expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo("The request body is empty");
	}

	@Test
	void aThousandConcurrentInferencesAllSucceedWhileTheModelIsReloaded() {
		String batch = tenCandidates();
		java.util.concurrent.ExecutorService callers = java.util.concurrent.Executors.newFixedThreadPool(4);
		java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
			.version(java.net.http.HttpClient.Version.HTTP_1_1)
			.executor(callers)
			.build();
		Queue<ReloadResult> reloads = new ConcurrentLinkedQueue<>();
		java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
		java.util.concurrent.atomic.AtomicInteger answered = new java.util.concurrent.atomic.AtomicInteger();
		Thread reloader = new Thread(() -> {
			// Reload back and forth for as long as requests are being answered, and at least ten times
			for (int i = 0; i < 10 || !done.get(); i++) {
				reloads.add(this.registry.reload("scorer", 1 + (i % 2)));
			}
		}, "reloader");
		try {
			reloader.start();
			List<java.util.concurrent.CompletableFuture<Integer>> calls = new ArrayList<>();
			for (int i = 0; i < 1000; i++) {
				calls.add(http
					.sendAsync(java.net.http.HttpRequest
						.newBuilder(java.net.URI.create("http://localhost:" + this.port + "/v2/models/scorer/infer"))
						.header("Content-Type", "application/json")
						.timeout(Duration.ofSeconds(120))
						.POST(java.net.http.HttpRequest.BodyPublishers.ofString(batch))
						.build(), java.net.http.HttpResponse.BodyHandlers.ofString())
					.thenApply((response) -> {
						if (response.statusCode() != 200) {
							throw new AssertionError(response.statusCode() + " " + response.body());
						}
						answered.incrementAndGet();
						return scoreCount(response.body());
					}));
			}
			List<Integer> scores = new ArrayList<>();
			for (java.util.concurrent.CompletableFuture<Integer> call : calls) {
				scores.add(call.get(120, java.util.concurrent.TimeUnit.SECONDS));
			}
			done.set(true);
			reloader.join(60_000);
			assertThat(scores).hasSize(1000).containsOnly(10);
			assertThat(answered).hasValue(1000);
			System.out.printf("1000 concurrent inferences answered while the model was reloaded %d times%n",
					reloads.size());
			assertThat(reloads).hasSizeGreaterThanOrEqualTo(10)
				.allSatisfy((reload) -> assertThat(reload.outcome()).isEqualTo(ReloadResult.Outcome.RELOADED));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException ex) {
			throw new AssertionError(ex);
		}
		finally {
			done.set(true);
			this.registry.reload("scorer", 2);
			callers.shutdownNow();
		}
	}

	private static String tenCandidates() {
		StringBuilder data = new StringBuilder();
		for (int i = 0; i < 40; i++) {
			data.append((i > 0) ? "," : "").append(i % 7 * 0.25);
		}
		return "{\"inputs\": [{\"name\": \"features\", \"shape\": [10, 4], \"datatype\": \"FP32\", \"data\": ["
				+ data + "]}]}";
	}

	private static int scoreCount(String body) {
		int start = body.indexOf("\"data\":[");
		String data = body.substring(start + 8, body.indexOf(']', start));
		return data.split(",").length;
	}

	@Test
	void inferenceNeverRunsOnAServerThread() {
		// Forget calls other tests made directly from the test thread
		threads.clear();
		for (int i = 0; i < 20; i++) {
			this.client.post().uri("/v2/models/scorer/infer").body(SCORES).exchange().expectStatus().isOk();
		}
		assertThat(threads).hasSize(20)
			.allSatisfy((thread) -> assertThat(thread).startsWith("model-inference-")
				.doesNotContain("reactor-http")
				.doesNotContain("nio")
				.doesNotContain("exec"));
	}

	/**
	 * The auto-configured registry, serving the test's models and recording which threads run inference: a face's
	 * test application imports it.
	 * A plain class a face's test imports, not a {@code @Configuration}: the test framework would take a nested
	 * one for the default configuration of every subclass.
	 */
	public static class Models {

		@Bean
		ModelRegistryCustomizer recordingModels() {
			return (builder) -> builder
				.model(TestRegistries.definition(BASE, "scorer", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
				.model(TestRegistries.definition(BASE, "typed", null, HolderStrategy.RWLOCK, LoadMode.EAGER))
				.model(TestRegistries.definition(BASE, "broken", null, HolderStrategy.SHARDED_RCU, LoadMode.LAZY))
				.modelLoader(BehavingModels.onnx()
					.on("scorer", (model, inputs) -> threads.add(Thread.currentThread().getName())));
		}

	}

}
