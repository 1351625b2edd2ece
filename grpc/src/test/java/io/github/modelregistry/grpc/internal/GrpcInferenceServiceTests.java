package io.github.modelregistry.grpc.internal;

import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.protocol.grpc.TensorContents;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.google.protobuf.ByteString;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.protocol.grpc.v2.ModelMetadataRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelMetadataResponse;
import io.github.modelregistry.protocol.grpc.v2.ModelReadyRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerMetadataRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerReadyRequest;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The Open Inference Protocol's gRPC service on Spring Boot's real Netty gRPC server, with real ONNX models, called
 * through the grpc-java stubs generated from the specification's {@code .proto}: every method, inference with
 * typed and raw contents for every datatype compared with what the registry computes, and the bad requests, each
 * answered with its status and a description of what was wrong, after which the model still serves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE,
		properties = { "spring.grpc.server.port=0", "spring.grpc.server.inbound.message.max-size=64KB",
				"model-registry.grpc.max-elements=4000", "logging.level.io.github.modelregistry=DEBUG",
				"spring.grpc.server.keepalive.connection.max-idle-time=1s" })
class GrpcInferenceServiceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("grpc-models")
		.with("scorer", 1, TestModels.scorer(4, 0.5f))
		.with("typed", 1, TestModels.everyDatatype())
		.with("narrow", 1, TestModels.narrowIntegers());

	static final Path BASE = MODELS.base();

	private static final float[] FEATURES = { 4, 3, 2, 1, 0.5f, -0.25f, 1e-3f, 7 };

	@Autowired
	ModelRegistry registry;

	@Autowired
	TensorBufferPool pool;

	@Autowired
	GrpcServerPort serverPort;

	ManagedChannel channel;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

	@BeforeEach
	void connect() {
		this.logs.start();
		root().addAppender(this.logs);
		this.channel = ManagedChannelBuilder.forAddress("localhost", this.serverPort.port())
			.usePlaintext()
			.maxInboundMessageSize(16 * 1024 * 1024)
			.build();
		this.stub = GRPCInferenceServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	@AfterEach
	void disconnect() throws InterruptedException {
		root().detachAppender(this.logs);
		this.channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.openLeases() == 0);
	}

	@Test
	void serverMethods() {
		assertThat(this.stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
		assertThat(this.stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady()).isTrue();
		assertThat(this.stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName())
			.isEqualTo("model-registry");
	}

	@Test
	void modelReadyForModelsAndVersions() {
		assertThat(this.stub.modelReady(ModelReadyRequest.newBuilder().setName("scorer").build()).getReady()).isTrue();
		assertThat(this.stub.modelReady(ModelReadyRequest.newBuilder().setName("scorer").setVersion("1").build())
			.getReady()).isTrue();
		// Triton's clients send an empty version for none
		assertThat(this.stub.modelReady(ModelReadyRequest.newBuilder().setName("scorer").setVersion("").build())
			.getReady()).isTrue();
		assertStatus(() -> this.stub.modelReady(ModelReadyRequest.newBuilder().setName("missing").build()),
				Status.Code.NOT_FOUND, "missing");
		assertStatus(() -> this.stub.modelReady(ModelReadyRequest.newBuilder().setName("scorer").setVersion("7").build()),
				Status.Code.NOT_FOUND, "7");
		assertStatus(() -> this.stub.modelReady(ModelReadyRequest.newBuilder().setName("scorer").setVersion("one").build()),
				Status.Code.INVALID_ARGUMENT, "not a positive integer");
	}

	@Test
	void modelMetadataAsTheRegistryHasIt() {
		ModelMetadataResponse metadata = this.stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("scorer").build());
		assertThat(metadata.getName()).isEqualTo("scorer");
		assertThat(metadata.getVersionsList()).containsExactly("1");
		assertThat(metadata.getPlatform()).isEqualTo("onnxruntime_onnx");
		assertThat(metadata.getInputsList()).singleElement().satisfies((input) -> {
			assertThat(input.getName()).isEqualTo("features");
			assertThat(input.getDatatype()).isEqualTo("FP32");
			assertThat(input.getShapeList()).containsExactly(-1L, 4L);
		});
		assertThat(metadata.getOutputsList()).extracting(ModelMetadataResponse.TensorMetadata::getName)
			.containsExactly("score");
		assertStatus(() -> this.stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("missing").build()),
				Status.Code.NOT_FOUND, "missing");
	}

	@Test
	void typedContentsAreAnsweredTyped() {
		ModelInferResponse answer = this.stub.modelInfer(scorer((input) -> input
			.setContents(InferTensorContents.newBuilder().addAllFp32Contents(boxed(FEATURES)))).setId("typed-1").build());
		assertThat(answer.getModelName()).isEqualTo("scorer");
		assertThat(answer.getModelVersion()).isEqualTo("1");
		assertThat(answer.getId()).isEqualTo("typed-1");
		assertThat(answer.getRawOutputContentsCount()).isZero();
		ModelInferResponse.InferOutputTensor output = answer.getOutputs(0);
		assertThat(output.getName()).isEqualTo("score");
		assertThat(output.getDatatype()).isEqualTo("FP32");
		assertThat(output.getShapeList()).containsExactly(2L, 1L);
		assertThat(output.getContents().getFp32ContentsList()).containsExactly(boxed(expectedScores()).toArray(Float[]::new));
	}

	@Test
	void rawContentsAreAnsweredRawBitForBit() {
		ModelInferResponse answer = this.stub
			.modelInfer(scorer(UnaryOperator.identity()).addRawInputContents(littleEndian(FEATURES)).build());
		assertThat(answer.getOutputs(0).hasContents()).isFalse();
		assertThat(answer.getRawOutputContentsCount()).isOne();
		ByteBuffer raw = answer.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
		float[] scores = new float[raw.remaining() / 4];
		raw.asFloatBuffer().get(scores);
		assertThat(scores).containsExactly(expectedScores());
	}

	@Test
	void everyDatatypeTypedAndRawGivesWhatTheRegistryComputes() {
		List<Tensor> inputs = List.of(Tensor.ofFloats("x_fp32", new long[] { 1, 3 }, 1.5f, -0f, Float.MAX_VALUE),
				Tensor.ofDoubles("x_fp64", new long[] { 1, 3 }, 1e300, -2.5, Double.MIN_VALUE),
				Tensor.ofInts("x_int32", new long[] { 1, 3 }, Integer.MAX_VALUE, -7, 0),
				Tensor.ofLongs("x_int64", new long[] { 1, 3 }, Long.MAX_VALUE, -1L << 60, 3),
				Tensor.ofBooleans("x_bool", new long[] { 1, 3 }, true, false, true));
		compareWithRegistry("typed", inputs);
		List<Tensor> narrow = List.of(
				Tensor.of("x_int16", io.github.modelregistry.tensor.TensorDatatype.INT16, new long[] { 1, 3 },
						java.nio.ShortBuffer.wrap(new short[] { Short.MIN_VALUE, -1, Short.MAX_VALUE })),
				Tensor.of("x_int8", io.github.modelregistry.tensor.TensorDatatype.INT8, new long[] { 1, 3 },
						ByteBuffer.wrap(new byte[] { -128, -1, 127 })),
				Tensor.of("x_uint8", io.github.modelregistry.tensor.TensorDatatype.UINT8, new long[] { 1, 3 },
						ByteBuffer.wrap(new byte[] { 0, (byte) 200, (byte) 255 })));
		compareWithRegistry("narrow", narrow);
	}

	/**
	 * Sends the inputs typed and raw, and compares both answers, typed and raw, with the registry's own outputs.
	 */
	private void compareWithRegistry(String model, List<Tensor> inputs) {
		List<Tensor> expected = this.registry.infer(model, null, inputs, List.of()).outputs();
		ModelInferRequest.Builder typed = ModelInferRequest.newBuilder().setModelName(model);
		ModelInferRequest.Builder raw = ModelInferRequest.newBuilder().setModelName(model);
		for (Tensor input : inputs) {
			InferTensorContents.Builder contents = InferTensorContents.newBuilder();
			for (int e = 0; e < input.elementCount(); e++) {
				input.datatype().write(input.bytes(), e, TensorContents.of(input.datatype()).sink(contents));
			}
			typed.addInputs(tensor(input).setContents(contents));
			raw.addInputs(tensor(input)).addRawInputContents(ByteString.copyFrom(littleEndian(input)));
		}
		ModelInferResponse typedAnswer = this.stub.modelInfer(typed.build());
		ModelInferResponse rawAnswer = this.stub.modelInfer(raw.build());
		assertThat(typedAnswer.getOutputsCount()).isEqualTo(expected.size());
		for (int i = 0; i < expected.size(); i++) {
			Tensor want = expected.get(i);
			InferTensorContents.Builder contents = InferTensorContents.newBuilder();
			for (int e = 0; e < want.elementCount(); e++) {
				want.datatype().write(want.bytes(), e, TensorContents.of(want.datatype()).sink(contents));
			}
			ModelInferResponse.InferOutputTensor typedOutput = typedAnswer.getOutputs(i);
			assertThat(typedOutput.getName()).isEqualTo(want.name());
			assertThat(typedOutput.getDatatype()).isEqualTo(want.datatype().name());
			assertThat(typedOutput.getShapeList()).containsExactlyElementsOf(boxed(want.shape()));
			assertThat(typedOutput.getContents()).as(want.name()).isEqualTo(contents.build());
			assertThat(rawAnswer.getOutputs(i).getName()).isEqualTo(want.name());
			assertThat(rawAnswer.getRawOutputContents(i).toByteArray()).as(want.name()).isEqualTo(littleEndian(want));
		}
	}

	@Test
	void anIdleConnectionIsClosedByTheServer() {
		assertThat(this.stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
		assertThat(this.channel.getState(false)).isEqualTo(ConnectivityState.READY);
		// The server's GOAWAY after max-idle-time sends the channel back to IDLE; its next call reconnects
		await().atMost(Duration.ofSeconds(10)).until(() -> this.channel.getState(false) == ConnectivityState.IDLE);
		assertThat(this.stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
	}

	@Test
	void healthServiceReportsServingForTheServerAndTheInferenceServiceByDefault() {
		// The first report is made as the server starts, by Boot's scheduler (NOT_SERVING until the application is
		// ready, never NOT_FOUND), and the next within a second: wait for SERVING, not for Boot's 5 s delay and period
		for (String service : List.of("", "inference.GRPCInferenceService")) {
			await().atMost(Duration.ofSeconds(4)).ignoreExceptions().untilAsserted(() -> {
				HealthCheckResponse health = HealthGrpc.newBlockingStub(this.channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.check(HealthCheckRequest.newBuilder().setService(service).build());
				assertThat(health.getStatus()).as(service).isEqualTo(HealthCheckResponse.ServingStatus.SERVING);
			});
		}
	}

	static Stream<Arguments> badRequests() {
		InferTensorContents eight = InferTensorContents.newBuilder().addAllFp32Contents(boxed(FEATURES)).build();
		return Stream.of(
				bad("no inputs", ModelInferRequest.newBuilder().setModelName("scorer"), Status.Code.INVALID_ARGUMENT,
						"no inputs"),
				bad("no model name", scorer((input) -> input.setContents(eight)).setModelName(""),
						Status.Code.INVALID_ARGUMENT, "names no model"),
				bad("unknown model", scorer((input) -> input.setContents(eight)).setModelName("missing"),
						Status.Code.NOT_FOUND, "missing"),
				bad("unserved version", scorer((input) -> input.setContents(eight)).setModelVersion("9"),
						Status.Code.NOT_FOUND, "9"),
				bad("version not a number", scorer((input) -> input.setContents(eight)).setModelVersion("latest"),
						Status.Code.INVALID_ARGUMENT, "not a positive integer"),
				bad("BYTES to a model of FP32", scorer((input) -> input.setDatatype("BYTES").setContents(eight)),
						Status.Code.INVALID_ARGUMENT, "has datatype BYTES but model 'scorer' expects FP32"),
				bad("unknown datatype", scorer((input) -> input.setDatatype("FP8").setContents(eight)),
						Status.Code.INVALID_ARGUMENT, "Unsupported datatype 'FP8'"),
				bad("wrong datatype for the model", scorer((input) -> input.setDatatype("FP64")
					.setContents(InferTensorContents.newBuilder().addAllFp64Contents(List.of(1d, 2d, 3d, 4d, 5d, 6d, 7d, 8d)))),
						Status.Code.INVALID_ARGUMENT, "expects FP32"),
				bad("wrong shape for the model", scorer((input) -> input.clearShape().addAllShape(List.of(4L, 2L))
					.setContents(eight)), Status.Code.INVALID_ARGUMENT, "expects [-1, 4]"),
				bad("negative dimension", scorer((input) -> input.clearShape().addAllShape(List.of(-2L, 4L))
					.setContents(eight)), Status.Code.INVALID_ARGUMENT, "must not be negative"),
				bad("unknown input", scorer((input) -> input.setName("feature").setContents(eight)),
						Status.Code.INVALID_ARGUMENT, "Unknown input 'feature'"),
				bad("input without a name", scorer((input) -> input.setName("").setContents(eight)),
						Status.Code.INVALID_ARGUMENT, "has no name"),
				bad("input twice", scorer((input) -> input.setContents(eight)).addInputs(
						ModelInferRequest.InferInputTensor.newBuilder().setName("features").setDatatype("FP32")
							.addAllShape(List.of(2L, 4L)).setContents(eight)),
						Status.Code.INVALID_ARGUMENT, "more than once"),
				bad("fewer elements than the shape", scorer((input) -> input
					.setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f)))),
						Status.Code.INVALID_ARGUMENT, "has 3 elements in contents.fp32_contents but its shape [2, 4] holds 8"),
				bad("no contents at all", scorer(UnaryOperator.identity()), Status.Code.INVALID_ARGUMENT,
						"or send raw_input_contents"),
				bad("elements in another datatype's field", scorer((input) -> input
					.setContents(InferTensorContents.newBuilder().addAllIntContents(List.of(1, 2, 3, 4, 5, 6, 7, 8)))),
						Status.Code.INVALID_ARGUMENT, "go in contents.fp32_contents, not int_contents"),
				bad("raw size not the shape's", scorer(UnaryOperator.identity())
					.addRawInputContents(ByteString.copyFrom(new byte[31])),
						Status.Code.INVALID_ARGUMENT, "31 bytes of raw_input_contents but its shape [2, 4] of FP32 takes 32"),
				bad("raw and typed together", scorer((input) -> input.setContents(eight))
					.addRawInputContents(littleEndian(FEATURES)), Status.Code.INVALID_ARGUMENT, "one way or the other"),
				bad("more raw contents than inputs", scorer(UnaryOperator.identity())
					.addRawInputContents(littleEndian(FEATURES)).addRawInputContents(littleEndian(FEATURES)),
						Status.Code.INVALID_ARGUMENT, "1 inputs but 2 raw_input_contents"),
				bad("huge shape, few bytes", scorer((input) -> input.clearShape()
					.addAllShape(List.of(1L << 40, 4L)).setContents(eight)), Status.Code.RESOURCE_EXHAUSTED,
						"[1099511627776, 4] takes the request over its limit"),
				bad("shape the allowance holds, contents that do not", scorer((input) -> input.clearShape()
					.addAllShape(List.of(1000L, 4L)).setContents(eight)), Status.Code.INVALID_ARGUMENT,
						"has 8 elements in contents.fp32_contents but its shape [1000, 4] holds 4000"),
				bad("more elements than allowed", scorer((input) -> input.clearShape().addAllShape(List.of(1001L, 4L))
					.setContents(eight)), Status.Code.RESOURCE_EXHAUSTED, "model-registry.grpc.max-elements"),
				bad("unknown output", scorer((input) -> input.setContents(eight))
					.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("scores")),
						Status.Code.INVALID_ARGUMENT, "scores"),
				bad("output twice", scorer((input) -> input.setContents(eight))
					.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("score"))
					.addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("score")),
						Status.Code.INVALID_ARGUMENT, "more than once"),
				bad("INT8 out of range", typed("x_int8", "INT8", InferTensorContents.newBuilder()
					.addAllIntContents(List.of(1, 300, 2))), Status.Code.INVALID_ARGUMENT, "element 1 is 300"),
				bad("UINT8 out of range", typed("x_uint8", "UINT8", InferTensorContents.newBuilder()
					.addAllUintContents(List.of(1, 2, 256))), Status.Code.INVALID_ARGUMENT, "element 2 is 256"),
				bad("raw BOOL not 0 or 1", ModelInferRequest.newBuilder().setModelName("typed")
					.addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("x_bool").setDatatype("BOOL")
						.addAllShape(List.of(1L, 3L)))
					.addRawInputContents(ByteString.copyFrom(new byte[] { 1, 2, 0 })), Status.Code.INVALID_ARGUMENT,
						"0 or 1"),
				bad("message over the server's limit", scorer(UnaryOperator.identity())
					.addRawInputContents(ByteString.copyFrom(new byte[80 * 1024])), Status.Code.RESOURCE_EXHAUSTED, ""));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("badRequests")
	void badRequestIsRefusedWithWhatIsWrongAndTheModelServesAfter(String name, ModelInferRequest request,
			Status.Code code, String description) {
		assertStatus(() -> this.stub.modelInfer(request), code, description);
		List<ILoggingEvent> events = List.copyOf(this.logs.list);
		assertThat(events.stream().filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN)))
			.as("WARN and ERROR lines").isEmpty();
		assertThat(events.stream()
			.filter((event) -> event.getLevel() == Level.DEBUG && event.getLoggerName().startsWith("io.github.modelregistry")))
			.as("DEBUG lines").hasSizeLessThanOrEqualTo(1);
		ModelInferResponse good = this.stub
			.modelInfer(scorer(UnaryOperator.identity()).addRawInputContents(littleEndian(FEATURES)).build());
		assertThat(good.getRawOutputContentsCount()).isOne();
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	private static Arguments bad(String name, ModelInferRequest.Builder request, Status.Code code, String description) {
		return Arguments.of(name, request.build(), code, description);
	}

	private static void assertStatus(Runnable call, Status.Code code, String description) {
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run).satisfies((ex) -> {
			assertThat(ex.getStatus().getCode()).as(ex.getStatus().toString()).isEqualTo(code);
			assertThat(ex.getStatus().getDescription()).contains(description).doesNotContain("\tat ");
		});
	}

	private static ModelInferRequest.Builder scorer(
			UnaryOperator<ModelInferRequest.InferInputTensor.Builder> input) {
		return ModelInferRequest.newBuilder()
			.setModelName("scorer")
			.addInputs(input.apply(ModelInferRequest.InferInputTensor.newBuilder()
				.setName("features")
				.setDatatype("FP32")
				.addAllShape(List.of(2L, 4L))));
	}

	private static ModelInferRequest.Builder typed(String input, String datatype, InferTensorContents.Builder contents) {
		return ModelInferRequest.newBuilder()
			.setModelName("narrow")
			.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
				.setName(input)
				.setDatatype(datatype)
				.addAllShape(List.of(1L, 3L))
				.setContents(contents));
	}

	private static ModelInferRequest.InferInputTensor.Builder tensor(Tensor input) {
		return ModelInferRequest.InferInputTensor.newBuilder()
			.setName(input.name())
			.setDatatype(input.datatype().name())
			.addAllShape(boxed(input.shape()));
	}

	private float[] expectedScores() {
		return this.registry.infer("scorer", null, List.of(Tensor.ofFloats("features", new long[] { 2, 4 }, FEATURES)),
				List.of()).outputs().get(0).floats();
	}

	static ByteString littleEndian(float[] values) {
		ByteBuffer bytes = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
		bytes.asFloatBuffer().put(values);
		return ByteString.copyFrom(bytes.array());
	}

	static byte[] littleEndian(Tensor tensor) {
		byte[] out = new byte[tensor.bytes().remaining()];
		tensor.datatype().toLittleEndian(tensor.bytes(), out, 0);
		return out;
	}

	static List<Float> boxed(float[] values) {
		List<Float> boxed = new java.util.ArrayList<>();
		for (float value : values) {
			boxed.add(value);
		}
		return boxed;
	}

	static List<Long> boxed(long[] values) {
		return java.util.Arrays.stream(values).boxed().toList();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		GrpcServerPort serverPort() {
			return new GrpcServerPort();
		}

		@Bean
		ModelRegistryCustomizer grpcModels() {
			return (builder) -> builder
				.model(TestRegistries.definition(BASE, "scorer", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
				.model(TestRegistries.definition(BASE, "typed", null, HolderStrategy.RWLOCK, LoadMode.EAGER))
				.model(TestRegistries.definition(BASE, "narrow", null, HolderStrategy.MUTEX, LoadMode.EAGER))
				.modelLoader(BehavingModels.onnx());
		}

	}

}
