package io.github.modelregistry.web;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.holder.ModelUnavailableException;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.repository.ModelRepository;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
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
		"model-registry.web.inference-threads=8",
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

	static final Path BASE = createModels();

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

	private WebClient client;

	static Path createModels() {
		try {
			Path base = Files.createTempDirectory("resilience-models");
			for (String name : new String[] { "scorer", "slow", "timed", "flaky" }) {
				TestModels.write(base, name, 1, TestModels.scorer(4, 0f));
			}
			return base;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

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
			assertThat(failed.status()).isEqualTo(503);
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
	void unknownModelsGetNoResilienceInstances() {
		assertThat(infer("made-up").block(Duration.ofSeconds(10)).status()).isEqualTo(404);
		assertThat(this.circuitBreakers.getAllCircuitBreakers()).extracting(CircuitBreaker::getName)
			.doesNotContain("made-up");
	}

	record Answer(int status, @Nullable String retryAfter, String body) {
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ModelRegistry modelRegistry() {
			List<ModelDefinition> definitions = new ArrayList<>();
			for (String name : new String[] { "scorer", "slow", "timed", "flaky" }) {
				definitions.add(new ModelDefinition(name, "file:" + BASE.resolve(name), null,
						HolderStrategy.SHARDED_RCU, LoadMode.EAGER));
			}
			return new BehavingModelRegistry(definitions);
		}

	}

	/**
	 * Slow models wait at the test's gate inside the model; the flaky one fails while told to.
	 */
	static class BehavingModelRegistry extends ModelRegistry {

		BehavingModelRegistry(List<ModelDefinition> definitions) {
			super(definitions, new ModelRepository(), new OnnxModelLoader(OnnxSessionSettings.DEFAULT), 0);
		}

		@Override
		public InferenceResult infer(String model, @Nullable Long version, List<Tensor> inputs, List<String> outputs) {
			if (model.equals("slow") || model.equals("timed")) {
				return holder(model).read((onnx) -> {
					arrivals.countDown();
					try {
						gate.await(60, TimeUnit.SECONDS);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					return super.infer(model, version, inputs, outputs);
				});
			}
			if (model.equals("flaky")) {
				flakyCalls.incrementAndGet();
				if (flakyFails.get()) {
					throw new ModelUnavailableException("Model 'flaky' is broken on purpose");
				}
			}
			return super.infer(model, version, inputs, outputs);
		}

	}

}
