package io.github.modelregistry.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import org.springframework.core.io.ClassPathResource;

/**
 * Copies of the committed models in a folder a test can change, and a plain HTTP client for the sample app.
 */
final class SampleModels {

	static final String PASSWORD = "test-operator-secret";

	/** Long enough for a slow machine; a request without an answer fails the test instead of hanging the build. */
	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private SampleModels() {
	}

	/**
	 * Writes {@code <base>/<name>/<version>/model.onnx} for the given committed versions.
	 */
	static Path copy(Path base, String name, int... versions) {
		try {
			for (int version : versions) {
				Path folder = Files.createDirectories(base.resolve(name).resolve(Integer.toString(version)));
				Files.write(folder.resolve("model.onnx"),
						new ClassPathResource("models/restaurant-ranker/" + version + "/model.onnx")
							.getContentAsByteArray());
			}
			return base;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String inferBody() {
		try {
			return Files.readString(Path.of("requests/infer.json"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static HttpResponse<String> infer(int port, String model) {
		return send(inferRequest(port, model).build());
	}

	static HttpResponse<String> infer(int port, String model, String authorization) {
		return send(inferRequest(port, model).header("Authorization", authorization).build());
	}

	private static HttpRequest.Builder inferRequest(int port, String model) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/v2/models/" + model + "/infer"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(inferBody()));
	}

	static HttpResponse<String> reload(int managementPort, String model, String body, boolean authenticated) {
		return reload(managementPort, model, body, authenticated ? basic() : null);
	}

	static HttpResponse<String> reload(int managementPort, String model, String body,
			@org.jspecify.annotations.Nullable String authorization) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/models/" + model))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return send(request.build());
	}

	/**
	 * {@code POST /actuator/models} with the name: registers a model found under the base path.
	 */
	static HttpResponse<String> register(int managementPort, String model, boolean authenticated) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/models"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"" + model + "\"}"));
		if (authenticated) {
			request.header("Authorization", basic());
		}
		return send(request.build());
	}

	/**
	 * A POST of a JSON body to any path.
	 */
	static HttpResponse<String> post(int port, String path, String body, boolean authenticated) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authenticated) {
			request.header("Authorization", basic());
		}
		return send(request.build());
	}

	/**
	 * {@code DELETE /actuator/models/{name}}: unregisters a model.
	 */
	static HttpResponse<String> unregister(int managementPort, String model, boolean authenticated) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + managementPort + "/actuator/models/" + model))
			.DELETE();
		if (authenticated) {
			request.header("Authorization", basic());
		}
		return send(request.build());
	}

	static HttpResponse<String> get(int port, String path, boolean authenticated) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
		if (authenticated) {
			request.header("Authorization", basic());
		}
		return send(request.build());
	}

	static String basic() {
		return "Basic " + Base64.getEncoder()
			.encodeToString(("operator:" + PASSWORD).getBytes(StandardCharsets.UTF_8));
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return http.send(HttpRequest.newBuilder(request, (name, value) -> true).timeout(TIMEOUT).build(),
					HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
