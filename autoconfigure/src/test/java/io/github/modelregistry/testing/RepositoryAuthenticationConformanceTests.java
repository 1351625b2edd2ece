package io.github.modelregistry.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The repository extension turned on in an application with no security at all: nobody authenticates, so every
 * call is a 401 and no model is loaded or unloaded. Turning the extension on never opens model loading to anonymous
 * callers, whatever the application's security does or does not do. A face's test extends this one with a
 * {@code @SpringBootTest} on a real server with {@code model-registry.web.repository-enabled=true},
 * {@code management.server.port=0} and {@code model-registry.models.scorer.load=eager}.
 */
public abstract class RepositoryAuthenticationConformanceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("repository-authentication")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("guest", 1, TestModels.scorer(4, 0f));

	static final Path BASE = MODELS.base();

	@LocalManagementPort
	private int managementPort;

	@Autowired
	private ModelRegistry registry;

	@DynamicPropertySource
	static void basePath(DynamicPropertyRegistry properties) {
		properties.add("model-registry.base-path", () -> "file:" + BASE);
	}

	@Test
	void everyCallWithoutAnAuthenticatedCallerIsA401AndChangesNothing() throws Exception {
		for (String path : new String[] { "/v2/repository/index", "/v2/repository/models/guest/load",
				"/v2/repository/models/scorer/unload" }) {
			HttpResponse<String> answer = post(path);
			assertThat(answer.statusCode()).as(path).isEqualTo(401);
			assertThat(answer.body()).as(path).contains("\"error\":", "authenticated caller");
		}
		assertThat(this.registry.names()).containsExactly("scorer");
	}

	private HttpResponse<String> post(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.managementPort + path))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString("{}"))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

}
