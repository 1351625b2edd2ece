package io.github.modelregistry.faces;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.github.modelregistry.grpc.internal.GrpcServerPort;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.tensor.TensorDatatype;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One battery of bad inputs, each sent through all three faces of one application (JSON REST, the binary tensor
 * data extension, gRPC with raw contents): each face refuses it with its status for the same registry exception or
 * check (400 and {@code INVALID_ARGUMENT}, 404 and {@code NOT_FOUND}, 413 and {@code RESOURCE_EXHAUSTED}) and a
 * message naming what was wrong, logs no WARN or ERROR and at most one DEBUG line, takes no buffer it does not give
 * back, and serves the same client's next, valid, request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.grpc.server.port=0", "model-registry.web.max-elements=4000",
				"model-registry.grpc.max-elements=4000", "logging.level.io.github.modelregistry=DEBUG" })
class BadInputAcrossFacesTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("faces-models")
		.with("scorer", 1, TestModels.scorer(4, 0.5f));

	static final Path BASE = MODELS.base();

	@LocalServerPort
	int httpPort;

	@Autowired
	GrpcServerPort grpcPort;

	@Autowired
	TensorBufferPool pool;

	private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private ManagedChannel channel;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	@BeforeEach
	void connect() {
		this.channel = ManagedChannelBuilder.forAddress("localhost", this.grpcPort.port()).usePlaintext().build();
		this.logs.start();
		root().addAppender(this.logs);
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		root().detachAppender(this.logs);
		this.channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.openLeases() == 0);
	}

	/**
	 * A request as every face can say it: one input (zeros) and maybe one output asked for.
	 */
	record Input(String name, String datatype, long[] shape, int elements) {

		int width() {
			try {
				return TensorDatatype.fromName(this.datatype).bytes();
			}
			catch (IllegalArgumentException ex) {
				// BYTES and unknown datatypes never get as far as their bytes: any width will do
				return 4;
			}
		}

	}

	record Case(String name, String model, @Nullable String version, List<Input> inputs, @Nullable String output,
			int http, Status.Code grpc, String message) {

		@Override
		public String toString() {
			return this.name;
		}

	}

	private static final Input FEATURES = new Input("features", "FP32", new long[] { 2, 4 }, 8);

	static List<Case> cases() {
		return List.of(new Case("unknown model", "missing", null, List.of(FEATURES), null, 404, Status.Code.NOT_FOUND,
				"Unknown model 'missing'"),
				new Case("unserved version", "scorer", "9", List.of(FEATURES), null, 404, Status.Code.NOT_FOUND, "9"),
				new Case("version not a number", "scorer", "x", List.of(FEATURES), null, 400,
						Status.Code.INVALID_ARGUMENT, "Model version 'x' is not a positive integer"),
				new Case("unknown input", "scorer", null, List.of(new Input("feature", "FP32", new long[] { 2, 4 }, 8)),
						null, 400, Status.Code.INVALID_ARGUMENT, "Unknown input 'feature' for model 'scorer'"),
				new Case("wrong datatype", "scorer", null, List.of(new Input("features", "INT32", new long[] { 2, 4 }, 8)),
						null, 400, Status.Code.INVALID_ARGUMENT,
						"Input 'features' has datatype INT32 but model 'scorer' expects FP32"),
				new Case("wrong shape", "scorer", null, List.of(new Input("features", "FP32", new long[] { 4, 2 }, 8)),
						null, 400, Status.Code.INVALID_ARGUMENT,
						"Input 'features' has shape [4, 2] but model 'scorer' expects [-1, 4]"),
				new Case("BYTES to a model of FP32", "scorer", null,
						List.of(new Input("features", "BYTES", new long[] { 2, 4 }, 8)), null, 400,
						Status.Code.INVALID_ARGUMENT, "Input 'features' has datatype BYTES but model 'scorer' expects FP32"),
				new Case("unknown datatype", "scorer", null, List.of(new Input("features", "FP8", new long[] { 2, 4 }, 8)),
						null, 400, Status.Code.INVALID_ARGUMENT, "Unsupported datatype 'FP8'"),
				new Case("negative dimension", "scorer", null,
						List.of(new Input("features", "FP32", new long[] { -2, 4 }, 8)), null, 400,
						Status.Code.INVALID_ARGUMENT, "negative"),
				new Case("fewer elements than the shape", "scorer", null,
						List.of(new Input("features", "FP32", new long[] { 2, 4 }, 3)), null, 400,
						Status.Code.INVALID_ARGUMENT, "[2, 4]"),
				new Case("more elements than allowed", "scorer", null,
						List.of(new Input("features", "FP32", new long[] { 1001, 4 }, 8)), null, 413,
						Status.Code.RESOURCE_EXHAUSTED, "takes the request over its limit of 4000 elements"),
				new Case("a huge shape in a few bytes", "scorer", null,
						List.of(new Input("features", "FP32", new long[] { 1L << 40, 4 }, 8)), null, 413,
						Status.Code.RESOURCE_EXHAUSTED, "takes the request over its limit of 4000 elements"),
				new Case("unknown output", "scorer", null, List.of(FEATURES), "scores", 400, Status.Code.INVALID_ARGUMENT,
						"Unknown output 'scores' for model 'scorer'"),
				new Case("input twice", "scorer", null, List.of(FEATURES, FEATURES), null, 400,
						Status.Code.INVALID_ARGUMENT, "Input 'features' is given more than once"));
	}

	enum Face {

		JSON, BINARY, GRPC

	}

	static Stream<Arguments> battery() {
		List<Arguments> arguments = new ArrayList<>();
		for (Case bad : cases()) {
			for (Face face : Face.values()) {
				arguments.add(Arguments.of(face, bad));
			}
		}
		return arguments.stream();
	}

	@ParameterizedTest(name = "{0}: {1}")
	@MethodSource("battery")
	void everyFaceRefusesTheBadInputAndServesTheNextRequest(Face face, Case bad) throws Exception {
		if (face == Face.GRPC) {
			assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(StatusRuntimeException.class,
					() -> grpc(bad)))
				.as("%s through gRPC", bad)
				.satisfies((ex) -> {
					assertThat(ex.getStatus().getCode()).as(ex.getStatus().toString()).isEqualTo(bad.grpc());
					assertThat(ex.getStatus().getDescription()).contains(bad.message()).doesNotContain("\tat ");
				});
			assertThat(grpc(valid()).getOutputsCount()).isOne();
		}
		else {
			HttpResponse<String> answer = rest(face, bad);
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(bad.http());
			assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/json");
			assertThat(answer.body()).startsWith("{\"error\":\"").contains(bad.message()).doesNotContain("\\tat ");
			assertThat(rest(face, valid()).statusCode()).isEqualTo(200);
		}
		List<ILoggingEvent> events = List.copyOf(this.logs.list);
		assertThat(events.stream().filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN)))
			.as("WARN and ERROR lines").isEmpty();
		assertThat(events.stream()
			.filter((event) -> event.getLevel() == Level.DEBUG && event.getLoggerName().startsWith("io.github.modelregistry")))
			.as("DEBUG lines").hasSizeLessThanOrEqualTo(1);
	}

	private static Case valid() {
		return new Case("valid", "scorer", null, List.of(FEATURES), null, 200, Status.Code.OK, "");
	}

	private HttpResponse<String> rest(Face face, Case request) throws IOException, InterruptedException {
		String path = "/v2/models/" + request.model()
				+ ((request.version() != null) ? "/versions/" + request.version() : "") + "/infer";
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://localhost:" + this.httpPort + path))
			.timeout(Duration.ofSeconds(10));
		String outputs = (request.output() != null) ? ",\"outputs\":[{\"name\":\"" + request.output() + "\"}]" : "";
		if (face == Face.JSON) {
			String inputs = request.inputs().stream().map((input) -> "{\"name\":\"" + input.name() + "\",\"shape\":"
					+ shape(input) + ",\"datatype\":\"" + input.datatype() + "\",\"data\":["
					+ String.join(",", java.util.Collections.nCopies(input.elements(), "0")) + "]}")
				.collect(Collectors.joining(","));
			builder.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[" + inputs + "]" + outputs + "}"));
		}
		else {
			String inputs = request.inputs().stream().map((input) -> "{\"name\":\"" + input.name() + "\",\"shape\":"
					+ shape(input) + ",\"datatype\":\"" + input.datatype() + "\",\"parameters\":{\"binary_data_size\":"
					+ input.elements() * input.width() + "}}")
				.collect(Collectors.joining(","));
			byte[] header = ("{\"inputs\":[" + inputs + "]" + outputs + "}").getBytes(StandardCharsets.UTF_8);
			int raw = request.inputs().stream().mapToInt((input) -> input.elements() * input.width()).sum();
			builder.header("Content-Type", "application/octet-stream")
				.header("Inference-Header-Content-Length", Integer.toString(header.length))
				.POST(HttpRequest.BodyPublishers.ofByteArray(Arrays.copyOf(header, header.length + raw)));
		}
		return this.http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
	}

	private io.github.modelregistry.protocol.grpc.v2.ModelInferResponse grpc(Case request) {
		ModelInferRequest.Builder message = ModelInferRequest.newBuilder().setModelName(request.model());
		if (request.version() != null) {
			message.setModelVersion(request.version());
		}
		for (Input input : request.inputs()) {
			ModelInferRequest.InferInputTensor.Builder tensor = message.addInputsBuilder()
				.setName(input.name())
				.setDatatype(input.datatype());
			Arrays.stream(input.shape()).forEach(tensor::addShape);
			message.addRawInputContents(ByteString.copyFrom(new byte[input.elements() * input.width()]));
		}
		if (request.output() != null) {
			message.addOutputsBuilder().setName(request.output());
		}
		return GRPCInferenceServiceGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.modelInfer(message.build());
	}

	private static String shape(Input input) {
		return Arrays.toString(input.shape()).replace(" ", "");
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	/**
	 * Both faces on the sample app's class path, without the sample app: its Spring Security is left out, since
	 * Boot's security defaults refuse every POST (CSRF) and this test is about what the faces answer.
	 */
	@SpringBootConfiguration
	@EnableAutoConfiguration(excludeName = {
			"org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration",
			"org.springframework.boot.security.autoconfigure.actuate.web.reactive.ReactiveManagementWebSecurityAutoConfiguration" })
	static class TestApplication {

		@Bean
		GrpcServerPort grpcPort() {
			return new GrpcServerPort();
		}

		@Bean
		ModelRegistryCustomizer facesModels() {
			return (builder) -> builder
				.model(TestRegistries.definition(BASE, "scorer", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
				.modelLoader(BehavingModels.onnx());
		}

	}

}
