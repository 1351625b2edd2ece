package io.github.modelregistry.webflux.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.testing.RawHttp;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Resilience4j around inference on a real server: bulkhead, time limiter and circuit breaker, configured with
 * Resilience4j's own properties, and what a client sees.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
		"model-registry.inference.threads=8", "model-registry.web.body-timeout=2s",
		"resilience4j.bulkhead.instances.slow.max-concurrent-calls=3",
		"resilience4j.bulkhead.instances.slow.max-wait-duration=0",
		"resilience4j.timelimiter.instances.slow.timeout-duration=60s",
		"resilience4j.timelimiter.instances.timed.timeout-duration=300ms",
		"resilience4j.circuitbreaker.instances.flaky.sliding-window-type=COUNT_BASED",
		"resilience4j.circuitbreaker.instances.flaky.sliding-window-size=4",
		"resilience4j.circuitbreaker.instances.flaky.minimum-number-of-calls=4",
		"resilience4j.circuitbreaker.instances.flaky.failure-rate-threshold=50",
		"resilience4j.circuitbreaker.instances.flaky.wait-duration-in-open-state=500ms",
		"resilience4j.circuitbreaker.instances.flaky.permitted-number-of-calls-in-half-open-state=2" })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ResilienceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("resilience-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("slow", 1, TestModels.scorer(4, 0f))
		.with("timed", 1, TestModels.scorer(4, 0f))
		.with("flaky", 1, TestModels.scorer(4, 0f));

	static final Path BASE = MODELS.base();

	static volatile CountDownLatch gate = new CountDownLatch(0);

	static volatile CountDownLatch arrivals = new CountDownLatch(0);

	static final AtomicBoolean flakyFails = new AtomicBoolean();

	static final AtomicInteger flakyCalls = new AtomicInteger();

	private static final String BODY = """
			{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""";

	@LocalServerPort
	int port;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

	@Autowired
	BulkheadRegistry bulkheads;

	private WebClient client;

	@BeforeEach
	void client() {
		this.client = WebClient.builder().baseUrl("http://localhost:" + this.port).build();
	}

	@AfterEach
	void openGate() {
		gate.countDown();
	}

	private Mono<Answer> infer(String model) {
		return this.client.post()
			.uri("/v2/models/" + model + "/infer")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(BODY)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.defaultIfEmpty("")
				.map((body) -> new Answer(response.statusCode().value(),
						response.headers().asHttpHeaders().getFirst(HttpHeaders.RETRY_AFTER), body)));
	}

	@Test
	void aFullBulkheadAnswersExactlyTheExcessWith429AtOnce() {
		gate = new CountDownLatch(1);
		arrivals = new CountDownLatch(3);
		List<Answer> admitted = java.util.Collections.synchronizedList(new ArrayList<>());
		Flux.range(0, 3).flatMap((i) -> infer("slow")).subscribe(admitted::add);
		await().atMost(Duration.ofSeconds(30)).until(() -> arrivals.getCount() == 0);

		// Three are inside the model, held at the gate; four more arrive
		List<Answer> excess = Flux.range(0, 4).flatMap((i) -> infer("slow")).collectList()
			.block(Duration.ofSeconds(10));
		// They were all answered while the gate was still closed: rejected, not queued
		assertThat(gate.getCount()).isEqualTo(1);
		assertThat(admitted).isEmpty();
		assertThat(excess).hasSize(4).allSatisfy((answer) -> {
			assertThat(answer.status()).isEqualTo(429);
			assertThat(answer.retryAfter()).isEqualTo("1");
			assertThat(answer.body()).contains("\"error\":\"Model 'slow' is already running its limit of 3 "
					+ "concurrent inferences (resilience4j.bulkhead.instances.slow.max-concurrent-calls)");
		});

		// A burst is not the model failing: the circuit stays closed
		assertThat(this.circuitBreakers.circuitBreaker("slow").getMetrics().getNumberOfFailedCalls()).isZero();

		gate.countDown();
		await().atMost(Duration.ofSeconds(30)).until(() -> admitted.size() == 3);
		assertThat(admitted).extracting(Answer::status).containsOnly(200);
		assertThat(infer("slow").block(Duration.ofSeconds(10)).status()).isEqualTo(200);
	}

	@Test
	void anInferenceOverTheTimeLimitGets504AndOthersKeepBeingServed() {
		gate = new CountDownLatch(1);
		arrivals = new CountDownLatch(1);
		Answer timedOut = infer("timed").block(Duration.ofSeconds(10));
		assertThat(timedOut.status()).isEqualTo(504);
		assertThat(timedOut.body()).contains("Inference of model 'timed' took longer than 300 ms "
				+ "(resilience4j.timelimiter.instances.timed.timeout-duration)");
		// The timed-out inference is still held at the gate; the server serves other requests
		assertThat(gate.getCount()).isEqualTo(1);
		assertThat(infer("scorer").block(Duration.ofSeconds(10)).status()).isEqualTo(200);
		gate.countDown();
	}

	@Test
	void aFailingModelOpensItsCircuitAndHalfOpenProbesCloseItAgain() {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker("flaky");
		breaker.reset();
		flakyFails.set(true);
		flakyCalls.set(0);
		for (int i = 0; i < 4; i++) {
			Answer failed = infer("flaky").block(Duration.ofSeconds(10));
			assertThat(failed.status()).isEqualTo(500);
			assertThat(failed.body()).contains("broken on purpose");
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.OPEN);
		Answer rejected = infer("flaky").block(Duration.ofSeconds(10));
		assertThat(rejected.status()).isEqualTo(503);
		assertThat(rejected.retryAfter()).isNotNull();
		assertThat(rejected.body()).contains("Model 'flaky' failed too often: its circuit breaker is OPEN");
		assertThat(flakyCalls).as("calls that reached the model").hasValue(4);

		// The model recovers; once the open state has waited, half-open probes get through and close the circuit
		flakyFails.set(false);
		await().atMost(Duration.ofSeconds(10)).until(() -> infer("flaky").block(Duration.ofSeconds(10)).status() == 200);
		assertThat(infer("flaky").block(Duration.ofSeconds(10)).status()).isEqualTo(200);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void clientErrorsDoNotOpenTheCircuit() {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker("flaky");
		breaker.reset();
		flakyFails.set(false);
		for (int i = 0; i < 10; i++) {
			Answer bad = this.client.post().uri("/v2/models/flaky/infer").contentType(MediaType.APPLICATION_JSON)
				.bodyValue("{\"inputs\": [{\"name\": \"nope\", \"shape\": [1], \"datatype\": \"FP32\", \"data\": [1]}]}")
				.exchangeToMono((response) -> response.bodyToMono(String.class)
					.map((body) -> new Answer(response.statusCode().value(), null, body)))
				.block(Duration.ofSeconds(10));
			assertThat(bad.status()).isEqualTo(400);
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(infer("flaky").block(Duration.ofSeconds(10)).status()).isEqualTo(200);
	}

	@Test
	void slowUploadsHoldNoPermitAndNeverOpenTheCircuit() throws Exception {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker("slow");
		breaker.reset();
		Bulkhead bulkhead = this.bulkheads.bulkhead("slow");
		int permits = bulkhead.getBulkheadConfig().getMaxConcurrentCalls();
		ScheduledExecutorService trickle = Executors.newScheduledThreadPool(2);
		List<SlowUpload> uploads = new ArrayList<>();
		try {
			// Ten uploads, one byte every half second: more than the model's three permits
			for (int i = 0; i < 10; i++) {
				uploads.add(SlowUpload.start(this.port, "/v2/models/slow/infer", BODY, Duration.ofMillis(500), trickle));
			}
			await().atMost(Duration.ofSeconds(10)).until(() -> uploads.stream().allMatch((u) -> u.sent() >= 2));
			// Still trickling in: none of them holds a permit, and another client is served meanwhile
			assertThat(uploads).noneMatch((upload) -> upload.response().isDone());
			assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isEqualTo(permits);
			assertThat(infer("slow").block(Duration.ofSeconds(10)).status()).isEqualTo(200);
			for (SlowUpload upload : uploads) {
				String response = upload.response().get(20, TimeUnit.SECONDS);
				assertThat(response).startsWith("HTTP/1.1 408")
					.contains("did not arrive within 2000 ms (model-registry.web.body-timeout)");
			}
		}
		finally {
			trickle.shutdownNow();
			uploads.forEach(SlowUpload::close);
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isEqualTo(permits);
		Answer next = infer("slow").block(Duration.ofSeconds(10));
		assertThat(next.status()).isEqualTo(200);
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void unknownModelsAndVersionsAreRefusedBeforeAnyPermit() {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker("flaky");
		breaker.reset();
		Answer unknownVersion = this.client.post()
			.uri("/v2/models/flaky/versions/7/infer")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(BODY)
			.exchangeToMono((response) -> response.bodyToMono(String.class)
				.map((body) -> new Answer(response.statusCode().value(), null, body)))
			.block(Duration.ofSeconds(10));
		assertThat(unknownVersion.status()).isEqualTo(404);
		assertThat(unknownVersion.body()).contains("Version 7 of model 'flaky' is not served");
		CircuitBreaker.Metrics metrics = breaker.getMetrics();
		assertThat(metrics.getNumberOfFailedCalls() + metrics.getNumberOfSuccessfulCalls()).isZero();
	}

	@Test
	void unknownModelsGetNoResilienceInstances() {
		assertThat(infer("made-up").block(Duration.ofSeconds(10)).status()).isEqualTo(404);
		assertThat(this.circuitBreakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
			.doesNotContain("made-up");
	}

	record Answer(int status, @Nullable String retryAfter, String body) {
	}

	/**
	 * A client that sends its headers at once and its body one byte at a time, on a raw socket.
	 */
	static final class SlowUpload implements AutoCloseable {

		private final Socket socket;

		private final AtomicInteger sent = new AtomicInteger();

		private final CompletableFuture<String> response;

		private SlowUpload(Socket socket, CompletableFuture<String> response) {
			this.socket = socket;
			this.response = response;
		}

		static SlowUpload start(int port, String path, String body, Duration every,
				ScheduledExecutorService trickle) throws IOException {
			Socket socket = new Socket("localhost", port);
			byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
			OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			out.flush();
			CompletableFuture<String> response = CompletableFuture.supplyAsync(() -> readResponse(socket));
			SlowUpload upload = new SlowUpload(socket, response);
			trickle.scheduleAtFixedRate(() -> upload.sendOne(bytes), 0, every.toMillis(), TimeUnit.MILLISECONDS);
			return upload;
		}

		/**
		 * Reads one HTTP/1.1 response, headers and body.
		 */
		private static String readResponse(Socket socket) {
			try {
				RawHttp.Response response = RawHttp.read(socket.getInputStream());
				return response.headers() + response.body();
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
		}

		private void sendOne(byte[] bytes) {
			int next = this.sent.get();
			if (next >= bytes.length - 1 || this.response.isDone()) {
				// Never completes the body: the server must give up on it
				return;
			}
			try {
				this.socket.getOutputStream().write(bytes[next]);
				this.socket.getOutputStream().flush();
				this.sent.incrementAndGet();
			}
			catch (IOException ex) {
				// The server answered and closed: nothing more to send
			}
		}

		int sent() {
			return this.sent.get();
		}

		CompletableFuture<String> response() {
			return this.response;
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				// Closing a test socket
			}
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		/**
		 * The auto-configured registry (with its protection), its models made to behave: {@code slow} and
		 * {@code timed} wait at the test's gate inside the run; {@code flaky} fails while told to.
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
							flakyCalls.incrementAndGet();
							if (flakyFails.get()) {
								throw new IllegalStateException("Model 'flaky' is broken on purpose");
							}
						}));
			};
		}

	}

}
