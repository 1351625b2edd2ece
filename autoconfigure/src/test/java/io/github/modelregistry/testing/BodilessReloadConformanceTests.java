package io.github.modelregistry.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code curl -X POST .../actuator/models/scorer}, with no body and no content type, reloads the model, as the
 * endpoint's documentation says, on whichever port Actuator is; a body of another type is still a 415. A face's test
 * extends this one with a {@code @SpringBootTest} on a real server with
 * {@code management.endpoints.web.exposure.include=models}, {@code management.endpoint.models.access=unrestricted},
 * {@code model-registry.management.authenticated-writes=false} (authentication is not under test here) and
 * {@code model-registry.models.scorer.load=eager}, and says which port Actuator answers on.
 */
public abstract class BodilessReloadConformanceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("bodiless-reload-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("scorer", 2, TestModels.scorer(4, 1f));

	@Autowired
	private ModelRegistry registry;

	@DynamicPropertySource
	static void basePath(DynamicPropertyRegistry properties) {
		Path base = MODELS.base();
		properties.add("model-registry.base-path", () -> "file:" + base);
	}

	/**
	 * Returns the port Actuator answers on.
	 */
	protected abstract int actuatorPort();

	@Test
	void aReloadWithoutABodyReloads() throws Exception {
		long publishes = this.registry.status("scorer").counters().publishes();
		HttpResponse<String> answer = send(HttpRequest.BodyPublishers.noBody(), null);
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("\"outcome\":\"RELOADED\"");
		assertThat(this.registry.status("scorer").counters().publishes()).isEqualTo(publishes + 1);
	}

	@Test
	void aBodyOfAnotherTypeIsStillUnsupported() throws Exception {
		HttpResponse<String> answer = send(HttpRequest.BodyPublishers.ofString("version=1"), "text/plain");
		assertThat(answer.statusCode()).isEqualTo(415);
	}

	private HttpResponse<String> send(HttpRequest.BodyPublisher body, String contentType) throws Exception {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://localhost:" + actuatorPort() + "/actuator/models/scorer"))
			.timeout(Duration.ofSeconds(30))
			.POST(body);
		if (contentType != null) {
			request.header("Content-Type", contentType);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
