package io.github.modelregistry.grpc.internal;

import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.protocol.grpc.GrpcErrors;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The registry's protection as a gRPC client sees it, on the real server: a full bulkhead is
 * {@code RESOURCE_EXHAUSTED} at once, the time limit {@code DEADLINE_EXCEEDED}, a failing model {@code INTERNAL}
 * and its open circuit {@code UNAVAILABLE} with {@code grpc-retry-pushback-ms}; a client's own deadline stops its
 * wait, returns its permit once the run ends, and never counts against the circuit breaker.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE, properties = { "spring.grpc.server.port=0",
		"model-registry.grpc.message-timeout=500ms",
		"model-registry.inference.threads=8", "resilience4j.bulkhead.instances.slow.max-concurrent-calls=3",
		"resilience4j.bulkhead.instances.slow.max-wait-duration=0",
		"resilience4j.timelimiter.instances.slow.timeout-duration=60s",
		"resilience4j.timelimiter.instances.timed.timeout-duration=300ms",
		"resilience4j.circuitbreaker.instances.slow.sliding-window-type=COUNT_BASED",
		"resilience4j.circuitbreaker.instances.slow.sliding-window-size=4",
		"resilience4j.circuitbreaker.instances.slow.minimum-number-of-calls=4",
		"resilience4j.circuitbreaker.instances.flaky.sliding-window-type=COUNT_BASED",
		"resilience4j.circuitbreaker.instances.flaky.sliding-window-size=4",
		"resilience4j.circuitbreaker.instances.flaky.minimum-number-of-calls=4",
		"resilience4j.circuitbreaker.instances.flaky.failure-rate-threshold=50",
		"resilience4j.circuitbreaker.instances.flaky.wait-duration-in-open-state=500ms",
		"resilience4j.circuitbreaker.instances.flaky.permitted-number-of-calls-in-half-open-state=2" })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrpcResilienceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("grpc-resilience-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("slow", 1, TestModels.scorer(4, 0f))
		.with("timed", 1, TestModels.scorer(4, 0f))
		.with("flaky", 1, TestModels.scorer(4, 0f));

	static final Path BASE = MODELS.base();

	static volatile CountDownLatch gate = new CountDownLatch(0);

	static volatile CountDownLatch arrivals = new CountDownLatch(0);

	static final AtomicBoolean flakyFails = new AtomicBoolean();

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Autowired
	BulkheadRegistry bulkheads;

	@Autowired
	ModelRegistry registry;

	@Autowired
	TensorBufferPool pool;

	@Autowired
	GrpcServerPort serverPort;

	ManagedChannel channel;

	@BeforeEach
	void connect() {
		this.channel = ManagedChannelBuilder.forAddress("localhost", this.serverPort.port()).usePlaintext().build();
	}

	@AfterEach
	void openGateAndDisconnect() throws InterruptedException {
		gate.countDown();
		this.channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.openLeases() == 0);
	}

	private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub blocking() {
		return GRPCInferenceServiceGrpc.newBlockingStub(this.channel).withDeadlineAfter(10, TimeUnit.SECONDS);
	}

	private static ModelInferRequest request(String model) {
		return ModelInferRequest.newBuilder()
			.setModelName(model)
			.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
				.setName("features")
				.setDatatype("FP32")
				.addShape(1)
				.addShape(4)
				.setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f, 4f))))
			.build();
	}

	@Test
	void aFullBulkheadAnswersTheExcessWithResourceExhaustedAtOnce() throws Exception {
		gate = new CountDownLatch(1);
		arrivals = new CountDownLatch(3);
		GRPCInferenceServiceGrpc.GRPCInferenceServiceFutureStub async = GRPCInferenceServiceGrpc
			.newFutureStub(this.channel)
			.withDeadlineAfter(30, TimeUnit.SECONDS);
		List<ListenableFuture<ModelInferResponse>> admitted = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			admitted.add(async.modelInfer(request("slow")));
		}
		assertThat(arrivals.await(30, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < 4; i++) {
			assertStatus(() -> blocking().modelInfer(request("slow")), Status.Code.RESOURCE_EXHAUSTED,
					"already running its limit of 3 concurrent inferences");
		}
		// Answered while the gate was still closed: refused, not queued; a burst is not the model failing
		assertThat(gate.getCount()).isEqualTo(1);
		assertThat(this.circuitBreakers.circuitBreaker("slow").getMetrics().getNumberOfFailedCalls()).isZero();
		gate.countDown();
		for (ListenableFuture<ModelInferResponse> answer : admitted) {
			assertThat(answer.get(30, TimeUnit.SECONDS).getOutputsCount()).isOne();
		}
	}

	@Test
	void anInferenceOverTheTimeLimitIsDeadlineExceededAndOthersAreServed() {
		gate = new CountDownLatch(1);
		assertStatus(() -> blocking().modelInfer(request("timed")), Status.Code.DEADLINE_EXCEEDED,
				"took longer than 300 ms (resilience4j.timelimiter.instances.timed.timeout-duration)");
		assertThat(blocking().modelInfer(request("scorer")).getOutputsCount()).isOne();
	}

	@Test
	void aClientsDeadlineStopsItsWaitReturnsThePermitAndNeverOpensTheCircuit() {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker("slow");
		breaker.reset();
		gate = new CountDownLatch(1);
		for (int i = 0; i < 6; i++) {
			arrivals = new CountDownLatch(1);
			assertThatExceptionOfType(StatusRuntimeException.class)
				.isThrownBy(() -> GRPCInferenceServiceGrpc.newBlockingStub(this.channel)
					.withDeadlineAfter(200, TimeUnit.MILLISECONDS)
					.modelInfer(request("slow")))
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
			if (i == 2) {
				// Three runs are held at the gate: the bulkhead is full until they end
				await().atMost(Duration.ofSeconds(10))
					.until(() -> this.bulkheads.bulkhead("slow").getMetrics().getAvailableConcurrentCalls() == 0);
				gate.countDown();
				await().atMost(Duration.ofSeconds(10))
					.until(() -> this.bulkheads.bulkhead("slow").getMetrics().getAvailableConcurrentCalls() == 3);
				gate = new CountDownLatch(1);
			}
		}
		gate.countDown();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.bulkheads.bulkhead("slow").getMetrics().getAvailableConcurrentCalls() == 3);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(blocking().modelInfer(request("slow")).getOutputsCount()).isOne();
	}

	@Test
	void aFailingModelIsInternalThenUnavailableWithPushback() {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker("flaky");
		breaker.reset();
		flakyFails.set(true);
		for (int i = 0; i < 4; i++) {
			assertStatus(() -> blocking().modelInfer(request("flaky")), Status.Code.INTERNAL, "broken on purpose");
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> blocking().modelInfer(request("flaky")))
			.satisfies((ex) -> {
				assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
				assertThat(ex.getStatus().getDescription()).contains("its circuit breaker is OPEN");
				assertThat(Long.parseLong(ex.getTrailers().get(GrpcErrors.RETRY_PUSHBACK))).isPositive();
			});
		flakyFails.set(false);
		await().atMost(Duration.ofSeconds(10)).ignoreExceptions()
			.until(() -> blocking().modelInfer(request("flaky")).getOutputsCount() == 1);
	}

	@Test
	void aRequestThatNeverArrivesIsClosedAfterTheMessageTimeOutWithoutADeadline() throws Exception {
		// One call sends nothing, one sends its message but never half-closes: neither has a deadline
		CompletableFuture<Status> silent = start(false);
		CompletableFuture<Status> unfinished = start(true);
		for (CompletableFuture<Status> call : List.of(silent, unfinished)) {
			Status status = call.get(10, TimeUnit.SECONDS);
			assertThat(status.getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
			assertThat(status.getDescription())
				.isEqualTo("The request did not arrive within 500 ms (model-registry.grpc.message-timeout)");
		}
		// Nothing reached the model, and others are served
		assertThat(this.bulkheads.bulkhead("scorer").getMetrics().getAvailableConcurrentCalls())
			.isEqualTo(this.bulkheads.bulkhead("scorer").getBulkheadConfig().getMaxConcurrentCalls());
		assertThat(blocking().modelInfer(request("scorer")).getOutputsCount()).isOne();
	}

	/**
	 * Starts a call to {@code ModelInfer} without a deadline that sends its message or not, and never half-closes.
	 */
	private CompletableFuture<Status> start(boolean sendMessage) {
		CompletableFuture<Status> closed = new CompletableFuture<>();
		ClientCall<ModelInferRequest, ModelInferResponse> call = this.channel
			.newCall(GRPCInferenceServiceGrpc.getModelInferMethod(), CallOptions.DEFAULT);
		call.start(new ClientCall.Listener<>() {

			@Override
			public void onClose(Status status, Metadata trailers) {
				closed.complete(status);
			}

		}, new Metadata());
		call.request(1);
		if (sendMessage) {
			call.sendMessage(request("scorer"));
		}
		return closed;
	}

	private static void assertStatus(Runnable call, Status.Code code, String description) {
		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(call::run).satisfies((ex) -> {
			assertThat(ex.getStatus().getCode()).as(ex.getStatus().toString()).isEqualTo(code);
			assertThat(ex.getStatus().getDescription()).contains(description);
		});
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		GrpcServerPort serverPort() {
			return new GrpcServerPort();
		}

		/**
		 * {@code slow} and {@code timed} wait at the test's gate inside the run; {@code flaky} fails while told to.
		 */
		@Bean
		ModelRegistryCustomizer behavingModels() {
			return (builder) -> {
				for (String name : new String[] { "scorer", "slow", "timed", "flaky" }) {
					builder.model(TestRegistries.definition(BASE, name, null, HolderStrategy.SHARDED_RCU,
							LoadMode.EAGER));
				}
				BehavingModels.Behaviour waiting = (model, inputs) -> {
					arrivals.countDown();
					gate.await(60, TimeUnit.SECONDS);
				};
				builder.modelLoader(BehavingModels.onnx().on("slow", waiting).on("timed", waiting).on("flaky",
						(model, inputs) -> {
							if (flakyFails.get()) {
								throw new IllegalStateException("Model 'flaky' is broken on purpose");
							}
						}));
			};
		}

	}

}
