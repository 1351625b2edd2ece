package io.github.modelregistry.webflux.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.actuate.ModelsEndpoint;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Batching seen from the V2 face, on a real Netty server with a real model: concurrent HTTP clients get their own
 * answers, the same as the unbatched synchronous path computes, while runs merge; a bad request among them gets its
 * 400 alone; the models endpoint shows the settings and the batch meters count.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "model-registry.models.scorer.load=eager", "model-registry.batching.enabled=true",
				"model-registry.batching.max-queue-delay=1ms", "model-registry.batching.max-batch-size=32",
				"resilience4j.bulkhead.instances.scorer.max-concurrent-calls=1000",
				"management.endpoints.web.exposure.include=models" })
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchingWebTests {

	private static final int WIDTH = 8;

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("batching-web")
		.with("scorer", 1, TestModels.scorer(WIDTH, 0.5f));

	static final Path BASE = MODELS.base();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@DynamicPropertySource
	static void basePath(DynamicPropertyRegistry registry) {
		registry.add("model-registry.base-path", () -> "file:" + BASE);
	}

	@LocalServerPort
	int port;

	@Autowired
	ModelRegistry registry;

	@Autowired
	ModelsEndpoint endpoint;

	@Autowired
	MeterRegistry meters;

	@Test
	void concurrentClientsGetTheirOwnAnswersWhileRunsMerge() throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		ExecutorService clients = Executors.newFixedThreadPool(32);
		try {
			List<CompletableFuture<Void>> done = new ArrayList<>();
			for (int c = 0; c < 32; c++) {
				long seed = c;
				done.add(CompletableFuture.runAsync(() -> {
					SplittableRandom random = new SplittableRandom(seed);
					for (int i = 0; i < 40; i++) {
						int rows = 1 + random.nextInt(3);
						float[] values = new float[rows * WIDTH];
						for (int v = 0; v < values.length; v++) {
							values[v] = (float) random.nextDouble(-1, 1);
						}
						float[] expected = this.registry
							.infer("scorer", null, List.of(Tensor.ofFloats("features", new long[] { rows, WIDTH }, values)),
									List.of())
							.outputs()
							.get(0)
							.floats();
						HttpResponse<String> response = post(http, body(rows, values));
						assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
						JsonNode output = JSON.readTree(response.body()).get("outputs").get(0);
						assertThat(JSON.readTree(response.body()).get("model_version").asString()).isEqualTo("1");
						assertThat(output.get("shape").get(0).asInt()).isEqualTo(rows);
						for (int r = 0; r < rows; r++) {
							assertThat(output.get("data").get(r).floatValue()).isEqualTo(expected[r]);
						}
					}
				}, clients));
			}
			// A bad request among them is refused alone
			HttpResponse<String> bad = post(http, "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,3],"
					+ "\"datatype\":\"FP32\",\"data\":[1,2,3]}]}");
			assertThat(bad.statusCode()).isEqualTo(400);
			assertThat(bad.body()).contains("\"error\"").doesNotContain("Exception");
			CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(90, TimeUnit.SECONDS);
		}
		finally {
			clients.shutdownNow();
		}
		double runs = this.meters.get("model.batch.runs").tag("model", "scorer").counter().count();
		double requests = this.meters.get("model.batch.size").tags("model", "scorer", "unit", "requests").summary()
			.totalAmount();
		assertThat(requests).as("requests answered by batch runs").isEqualTo(32 * 40);
		assertThat(runs).as("runs: fewer than requests, as some merged").isLessThan(requests);
		ModelsEndpoint.BatchingDescriptor batching = this.endpoint.model("scorer").batching();
		assertThat(batching).isEqualTo(new ModelsEndpoint.BatchingDescriptor(32, 1000, List.of(), 1000, null));
	}

	private HttpResponse<String> post(HttpClient http, String body) {
		try {
			return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/v2/models/scorer/infer"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(body))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String body(int rows, float[] values) {
		StringBuilder data = new StringBuilder();
		for (float value : values) {
			data.append((data.length() > 0) ? "," : "").append(value);
		}
		return "{\"inputs\":[{\"name\":\"features\",\"shape\":[" + rows + "," + WIDTH + "],\"datatype\":\"FP32\","
				+ "\"data\":[" + data + "]}]}";
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
