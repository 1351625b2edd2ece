package io.github.modelregistry.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The V2 model repository extension on the management server's own port, in a service that keeps Spring Security's
 * defaults: an operator loads and unloads models with HTTP Basic credentials and no CSRF token, nobody does without
 * them, and the application's port does not serve it. A face's test extends this one with a {@code @SpringBootTest}
 * on a real server with {@code management.server.port=0}, {@code model-registry.web.repository-enabled=true},
 * {@code spring.security.user.name=operator}, {@code spring.security.user.password=secret} and
 * {@code model-registry.models.scorer.load=eager}.
 */
public abstract class RepositoryExtensionConformanceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("repository-extension-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("guest", 1, TestModels.scorer(4, 1f));

	private static final String OPERATOR = "Basic "
			+ Base64.getEncoder().encodeToString("operator:secret".getBytes(StandardCharsets.UTF_8));

	@LocalManagementPort
	private int managementPort;

	@LocalServerPort
	private int port;

	@Autowired
	private ModelRegistry registry;

	@DynamicPropertySource
	static void basePath(DynamicPropertyRegistry properties) {
		Path base = MODELS.base();
		properties.add("model-registry.base-path", () -> "file:" + base);
	}

	@Test
	void anOperatorLoadsAndUnloadsAndNobodyElseDoes() throws Exception {
		for (String path : new String[] { "/v2/repository/index", "/v2/repository/models/guest/load",
				"/v2/repository/models/scorer/unload" }) {
			assertThat(post(this.managementPort, path, null).statusCode()).as(path).isEqualTo(401);
		}
		assertThat(this.registry.names()).containsExactly("scorer");
		HttpResponse<String> index = post(this.managementPort, "/v2/repository/index", OPERATOR);
		assertThat(index.statusCode()).as(index.body()).isEqualTo(200);
		assertThat(index.body()).contains("\"name\":\"guest\"").contains("\"name\":\"scorer\"");
		HttpResponse<String> load = post(this.managementPort, "/v2/repository/models/guest/load", OPERATOR);
		assertThat(load.statusCode()).as(load.body()).isEqualTo(200);
		assertThat(this.registry.names()).containsExactlyInAnyOrder("scorer", "guest");
		HttpResponse<String> again = post(this.managementPort, "/v2/repository/models/guest/load", OPERATOR);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).startsWith("{\"error\":\"");
		HttpResponse<String> unload = post(this.managementPort, "/v2/repository/models/guest/unload", OPERATOR);
		assertThat(unload.statusCode()).as(unload.body()).isEqualTo(200);
		assertThat(this.registry.names()).containsExactly("scorer");
	}

	@Test
	void theApplicationsPortDoesNotServeIt() throws Exception {
		assertThat(post(this.port, "/v2/repository/models/guest/load", OPERATOR).statusCode()).isEqualTo(404);
		assertThat(this.registry.names()).containsExactly("scorer");
	}

	private static HttpResponse<String> post(int port, String path, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
