package io.github.modelregistry.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.InferenceModelLoader;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.ModelState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * On shutdown, requests in flight complete with 200; then the model closes after its readers have left.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class GracefulShutdownTests {

	static final int IN_FLIGHT = 5;

	static final CountDownLatch inside = new CountDownLatch(IN_FLIGHT);

	static final CountDownLatch release = new CountDownLatch(1);

	@Test
	void requestsInFlightWhenShutdownStartsAllComplete() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class,
				BlockingModelsConfiguration.class)
			.run("--server.port=0", "--management.server.port=0", "--spring.security.user.password=x",
					// The generated warm-up request would be held at the gate too
					"--model-registry.models.restaurant-ranker.warmup=false",
					// One inference thread per request, so that all of them are inside the model at once
					"--model-registry.inference.threads=" + IN_FLIGHT);
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		ModelRegistry registry = context.getBean(ModelRegistry.class);
		HttpClient http = HttpClient.newHttpClient();
		List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
		for (int i = 0; i < IN_FLIGHT; i++) {
			responses.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port
					+ "/v2/models/restaurant-ranker/infer"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(SampleModels.inferBody()))
				.build(), HttpResponse.BodyHandlers.ofString()));
		}
		assertThat(inside.await(30, TimeUnit.SECONDS)).as("requests inside the model").isTrue();

		Thread closer = new Thread(context::close, "closer");
		closer.start();
		// Shutdown has begun: the server no longer accepts connections, while five requests are still inside
		await().atMost(Duration.ofSeconds(30)).until(() -> refusesNewConnections(port));
		assertThat(responses).noneMatch(CompletableFuture::isDone);
		assertThat(closer.isAlive()).isTrue();
		assertThat(registry.status("restaurant-ranker").state()).isEqualTo(ModelState.AVAILABLE);

		release.countDown();
		for (CompletableFuture<HttpResponse<String>> response : responses) {
			HttpResponse<String> answer = response.get(30, TimeUnit.SECONDS);
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(answer.body()).contains("\"model_version\":\"2\"");
		}
		closer.join(30_000);
		assertThat(closer.isAlive()).isFalse();
		assertThat(context.isActive()).isFalse();
		assertThat(registry.status("restaurant-ranker").state()).isEqualTo(ModelState.CLOSED);
	}

	@Test
	void uploadsStalledWhenShutdownStartsGet503AndDoNotHoldIt() throws Exception {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
			.run("--server.port=0", "--management.server.port=0", "--spring.security.user.password=x",
					// Far beyond the shutdown's grace (20 s): only the shutdown itself may end these uploads
					"--model-registry.web.body-timeout=120s", "--model-registry.web.header-timeout=120s");
		int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
		List<java.net.Socket> uploads = new ArrayList<>();
		List<CompletableFuture<String>> answers = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			java.net.Socket socket = new java.net.Socket("localhost", port);
			socket.setSoTimeout(60_000);
			// Headers and the first bytes of a 1,000-byte body, then nothing more
			socket.getOutputStream().write(("POST /v2/models/restaurant-ranker/infer HTTP/1.1\r\nHost: x\r\n"
					+ "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"inputs\":[")
				.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
			socket.getOutputStream().flush();
			uploads.add(socket);
			answers.add(CompletableFuture.supplyAsync(() -> {
				try {
					return new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
				}
				catch (IOException ex) {
					return "read failed: " + ex;
				}
			}));
		}
		// Both requests are in: the server answers another request on a new connection meanwhile
		assertThat(refusesNewConnections(port)).isFalse();
		Thread closer = new Thread(context::close, "closer");
		closer.start();
		for (CompletableFuture<String> answer : answers) {
			assertThat(answer.get(30, TimeUnit.SECONDS)).startsWith("HTTP/1.1 503")
				.contains("{\"error\":\"The server is shutting down");
		}
		// Well inside the 20 s grace period the stalled uploads would otherwise have held to its end
		closer.join(15_000);
		assertThat(closer.isAlive()).as("the shutdown still waits").isFalse();
		for (java.net.Socket upload : uploads) {
			upload.close();
		}
	}

	private static boolean refusesNewConnections(int port) {
		try {
			HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v2/health/live"))
					.timeout(Duration.ofSeconds(2))
					.build(), HttpResponse.BodyHandlers.ofString());
			return false;
		}
		catch (IOException ex) {
			return true;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Registered explicitly as a source; not a {@code @Configuration}, so that no component scan of the sample's
	 * package picks it up for other tests. Holds every inference inside the model until the test releases it.
	 */
	static class BlockingModelsConfiguration {

		@Bean
		ModelRegistryCustomizer blockingModels(OnnxModelLoader onnxModelLoader) {
			return (builder) -> builder.modelLoader(new BehavingModels(onnxModelLoader)
				.on("restaurant-ranker", (model, inputs) -> {
					inside.countDown();
					release.await(60, TimeUnit.SECONDS);
				}));
		}

	}

}
