package io.github.modelregistry.webflux.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every way an HTTP inference can end gives its pooled buffers back, and none gives them back while the model may
 * still read them: a real Netty server, real ONNX Runtime sessions, the default pool. Models named {@code timed}
 * and {@code held} wait at the test's gate inside the holder, as a long inference would; when the gate opens they
 * first check that their input still holds what the client sent, then run. Meanwhile other requests, with other
 * data, take buffers of the same size from the pool: had the waiting request's buffer gone back early, one of them
 * would have written into it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "model-registry.inference.threads=4",
		"resilience4j.timelimiter.instances.timed.timeout-duration=300ms",
		"resilience4j.timelimiter.instances.held.timeout-duration=60s" })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TensorPoolWebTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("tensor-pool-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("timed", 1, TestModels.scorer(4, 0f))
		.with("held", 1, TestModels.scorer(4, 0f))
		.with("flaky", 1, TestModels.scorer(4, 0f));

	static final Path BASE = MODELS.base();

	static volatile CountDownLatch gate = new CountDownLatch(0);

	static volatile CountDownLatch arrivals = new CountDownLatch(0);

	/** Inputs found changed when a waiting model woke up. */
	static final AtomicInteger overwritten = new AtomicInteger();

	@LocalServerPort
	int port;

	@Autowired
	TensorBufferPool pool;

	@Autowired
	BulkheadRegistry bulkheads;

	private WebClient client;

	@BeforeEach
	void client() {
		this.client = WebClient.builder().baseUrl("http://localhost:" + this.port).build();
		overwritten.set(0);
	}

	@AfterEach
	void openGate() {
		gate.countDown();
	}

	private static String body(float... features) {
		StringBuilder data = new StringBuilder();
		for (float feature : features) {
			data.append((data.length() > 0) ? ", " : "").append(feature);
		}
		return "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [" + data
				+ "]}]}";
	}

	private Mono<Integer> infer(String model, String body) {
		return this.client.post()
			.uri("/v2/models/" + model + "/infer")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value()));
	}

	private int status(String model, String body) {
		Integer status = infer(model, body).block(Duration.ofSeconds(10));
		assertThat(status).isNotNull();
		return status;
	}

	private String answer(String model, String body) {
		return this.client.post()
			.uri("/v2/models/" + model + "/infer")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.map((text) -> response.statusCode().value() + " " + text))
			.block(Duration.ofSeconds(10));
	}

	/**
	 * Requests with other data, which take the buffers a waiting request's buffer would go back to.
	 */
	private void inferOthers() {
		for (int i = 0; i < 20; i++) {
			assertThat(status("scorer", body(i, -i, 2 * i, 7))).isEqualTo(200);
		}
	}

	@Test
	void successfulInferencesReturnTheirBuffersAndReuseThem() {
		long hitsBefore = this.pool.hits();
		inferOthers();
		assertThat(this.pool.openLeases()).isZero();
		assertThat(this.pool.hits() - hitsBefore).isGreaterThanOrEqualTo(19);
	}

	@Test
	void badInputAfterABufferWasTakenReturnsIt() {
		String secondInputBroken = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", "
				+ "\"data\": [1, 2, 3, 4]}, {\"name\": \"other\", \"shape\": [1, 2], \"datatype\": \"FP32\", "
				+ "\"data\": [1, \"two\"]}]}";
		String tooFewElements = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", "
				+ "\"data\": [1, 2, 3]}]}";
		// Cut off after the buffer was taken: enough bytes left for four elements, but the JSON ends
		String cutOff = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP32\", \"data\": [1, 2,"
				+ " ".repeat(8);
		// Decoded fine into a buffer, refused by the model's signature
		String unknownOutput = "{\"inputs\": [{\"name\": \"features\", \"shape\": [1, 4], \"datatype\": "
				+ "\"FP32\", \"data\": [1, 2, 3, 4]}], \"outputs\": [{\"name\": \"nope\"}]}";
		for (String body : List.of(secondInputBroken, tooFewElements, cutOff, unknownOutput)) {
			long leasesBefore = this.pool.hits() + this.pool.misses();
			assertThat(status("scorer", body)).as(body).isEqualTo(400);
			assertThat(this.pool.hits() + this.pool.misses()).as("a buffer was taken").isGreaterThan(leasesBefore);
			assertThat(this.pool.openLeases()).as(body).isZero();
		}
	}

	@Test
	void anInputTheModelDoesNotTakeIsRefusedBeforeABufferIsTaken() {
		// Each in both orders: data after the declaration, and before it (parsed once the declaration is known)
		Map<String, String> declarations = Map.of(
				"\"name\": \"features\", \"shape\": [2, 2], \"datatype\": \"FP32\"",
				"Input 'features' has shape [2, 2] but model 'scorer' expects [-1, 4] (-1: any size)",
				"\"name\": \"features\", \"shape\": [1, 4], \"datatype\": \"FP64\"",
				"Input 'features' has datatype FP64 but model 'scorer' expects FP32",
				"\"name\": \"feature\", \"shape\": [1, 4], \"datatype\": \"FP32\"",
				"Unknown input 'feature' for model 'scorer'; its inputs are [features]");
		declarations.forEach((declaration, message) -> {
			for (String body : List.of("{\"inputs\": [{" + declaration + ", \"data\": [1, 2, 3, 4]}]}",
					"{\"inputs\": [{\"data\": [1, 2, 3, 4], " + declaration + "}]}")) {
				long leasesBefore = this.pool.hits() + this.pool.misses();
				assertThat(answer("scorer", body)).as(body).isEqualTo("400 {\"error\":\"" + message + "\"}");
				assertThat(this.pool.hits() + this.pool.misses()).as("buffers taken").isEqualTo(leasesBefore);
			}
		});
		assertThat(status("scorer", body(1, 2, 3, 4))).isEqualTo(200);
	}

	@Test
	void aHugeShapeDeclaredInAFewBytesTakesNoBuffer() {
		// 84 bytes declaring 16 MB of FP32 in a shape the model takes: refused from the body's length, before any
		// buffer is allocated
		String dataLast = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1048576,4],\"datatype\":\"FP32\",\"data\":[]}]}";
		String dataFirst = "{\"inputs\":[{\"name\":\"features\",\"data\":[1,2],\"shape\":[1048576,4],\"datatype\":\"FP32\"}]}";
		for (String body : List.of(dataLast, dataFirst)) {
			long leasesBefore = this.pool.hits() + this.pool.misses();
			String answer = this.client.post()
				.uri("/v2/models/scorer/infer")
				.contentType(MediaType.APPLICATION_JSON)
				.bodyValue(body)
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.map((text) -> response.statusCode().value() + " " + text))
				.block(Duration.ofSeconds(10));
			assertThat(answer).as(body).startsWith("400 ").contains("declares 4194304 elements (shape [1048576, 4])")
				.contains("bytes left in the request cannot hold them");
			assertThat(this.pool.hits() + this.pool.misses()).as("buffers taken").isEqualTo(leasesBefore);
		}
		assertThat(status("scorer", body(1, 2, 3, 4))).isEqualTo(200);
	}

	@Test
	void anInferenceErrorReturnsTheBuffer() {
		assertThat(status("flaky", body(1, 2, 3, 4))).isEqualTo(500);
		assertThat(this.pool.openLeases()).isZero();
	}

	@Test
	void aTimedOutInferenceKeepsItsBufferUntilTheModelHasFinished() throws Exception {
		gate = new CountDownLatch(1);
		arrivals = new CountDownLatch(1);
		Mono<Integer> answer = infer("timed", body(0.5f, 0.25f, 0.125f, 1)).cache();
		answer.subscribe();
		assertThat(arrivals.await(10, TimeUnit.SECONDS)).isTrue();
		assertThat(answer.block(Duration.ofSeconds(10))).isEqualTo(504);
		// The client has its answer, but the model is still running on the buffer
		assertThat(this.pool.openLeases()).isEqualTo(1);
		inferOthers();
		gate.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.openLeases() == 0);
		assertThat(overwritten).hasValue(0);
	}

	@Test
	void aCancelledRequestKeepsItsBufferUntilTheModelHasFinished() throws Exception {
		gate = new CountDownLatch(1);
		arrivals = new CountDownLatch(1);
		int permits = this.bulkheads.bulkhead("held").getBulkheadConfig().getMaxConcurrentCalls();
		Disposable request = infer("held", body(4, 3, 2, 1)).subscribe();
		assertThat(arrivals.await(10, TimeUnit.SECONDS)).isTrue();
		request.dispose();
		// The client went, but the model still runs on the buffer and keeps its permit: a client cannot make the
		// server run more inferences at once than the bulkhead allows by walking away from them
		assertThat(this.pool.openLeases()).isEqualTo(1);
		assertThat(this.bulkheads.bulkhead("held").getMetrics().getAvailableConcurrentCalls()).isEqualTo(permits - 1);
		inferOthers();
		gate.countDown();
		await().atMost(Duration.ofSeconds(10)).until(() -> this.pool.openLeases() == 0);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.bulkheads.bulkhead("held").getMetrics().getAvailableConcurrentCalls() == permits);
		assertThat(overwritten).hasValue(0);
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		/**
		 * The auto-configured registry (with its protection), its models made to behave: {@code timed} and
		 * {@code held} wait at the gate inside the run, then check their input; {@code flaky} fails.
		 */
		@Bean
		ModelRegistryCustomizer behavingModels() {
			return (builder) -> {
				for (String name : new String[] { "scorer", "timed", "held" }) {
					builder.model(TestRegistries.definition(BASE, name, null, HolderStrategy.SHARDED_RCU,
							LoadMode.EAGER));
				}
				// Without warm-up: a model that always fails would never start serving
				builder.model(new ModelDefinition("flaky", "file:" + BASE.resolve("flaky"), VersionPolicy.LATEST,
						HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null, false));
				BehavingModels.Behaviour waiting = (model, inputs) -> {
					float[] sent = inputs.iterator().next().floats();
					arrivals.countDown();
					awaitUninterruptibly(gate);
					if (!java.util.Arrays.equals(inputs.iterator().next().floats(), sent)) {
						overwritten.incrementAndGet();
					}
				};
				builder.modelLoader(BehavingModels.onnx().on("timed", waiting).on("held", waiting).on("flaky",
						(model, inputs) -> {
							throw new IllegalStateException("Model 'flaky' is broken on purpose");
						}));
			};
		}

	}

	/**
	 * Waits as ONNX Runtime runs: a native run does not notice an interrupt either.
	 */
	static void awaitUninterruptibly(CountDownLatch latch) {
		boolean interrupted = false;
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
		while (true) {
			try {
				latch.await(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
				break;
			}
			catch (InterruptedException ex) {
				interrupted = true;
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

}
