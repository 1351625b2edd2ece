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
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new service that adds {@code spring-boot-starter-security} and keeps its defaults, with the {@code models}
 * endpoint's writes opened as the docs show: machine clients infer over V2 without credentials or a CSRF token, an
 * operator reloads with HTTP Basic credentials and nobody without them, the application's own endpoints keep
 * Boot's defaults, and the start logs no WARN. A face's test extends this one with a {@code @SpringBootTest} on a
 * real server whose application imports {@link Application}, with {@code spring.security.user.name=operator},
 * {@code spring.security.user.password=secret}, {@code management.endpoints.web.exposure.include=health,models},
 * {@code management.endpoint.models.access=unrestricted} and {@code model-registry.models.scorer.load=eager}.
 */
@ExtendWith(OutputCaptureExtension.class)
public abstract class BootSecurityDefaultsConformanceTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("boot-security-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("scorer", 2, TestModels.scorer(4, 1f));

	private static final String SCORES = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
			+ "\"data\":[1,2,3,4]}]}";

	private static final String OPERATOR = "Basic "
			+ Base64.getEncoder().encodeToString("operator:secret".getBytes(StandardCharsets.UTF_8));

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
	void machinesInferWithoutCredentialsOrACsrfToken() throws Exception {
		HttpResponse<String> answer = send(post("/v2/models/scorer/infer", SCORES));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		assertThat(answer.body()).contains("\"model_name\":\"scorer\"");
		assertThat(send(get("/v2/models/scorer")).statusCode()).isEqualTo(200);
		assertThat(send(get("/v2/health/ready")).statusCode()).isEqualTo(200);
	}

	@Test
	void anOperatorReloadsWithCredentialsAndNobodyWithout() throws Exception {
		HttpResponse<String> anonymous = send(post("/actuator/models/scorer", "{\"version\":1}"));
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(this.registry.status("scorer").version()).isEqualTo(2);
		HttpResponse<String> wrong = send(post("/actuator/models/scorer", "{\"version\":1}")
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("operator:guess".getBytes())));
		assertThat(wrong.statusCode()).isEqualTo(401);
		try {
			HttpResponse<String> operator = send(post("/actuator/models/scorer", "{\"version\":1}")
				.header("Authorization", OPERATOR));
			assertThat(operator.statusCode()).as(operator.body()).isEqualTo(200);
			assertThat(this.registry.status("scorer").version()).isEqualTo(1);
		}
		finally {
			this.registry.reload("scorer", 2);
		}
	}

	@Test
	void theApplicationsOwnEndpointsKeepBootsDefaults() throws Exception {
		assertThat(send(get("/hello")).statusCode()).isEqualTo(401);
		HttpResponse<String> operator = send(get("/hello").header("Authorization", OPERATOR));
		assertThat(operator.statusCode()).isEqualTo(200);
		assertThat(operator.body()).isEqualTo("hello");
		assertThat(send(get("/actuator/health")).statusCode()).isEqualTo(200);
		assertThat(send(get("/actuator/models")).statusCode()).isEqualTo(401);
	}

	@Test
	void theStartLogsNoWarning(CapturedOutput output) {
		assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")))
			.isEmpty();
	}

	private HttpRequest.Builder get(String path) {
		return HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
	}

	private HttpRequest.Builder post(String path, String json) {
		return get(path).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The application's own endpoint.
	 * A plain class a face's test imports, not a {@code @Configuration}: the test framework would take a nested
	 * one for the default configuration of every subclass.
	 */
	@Import(HelloController.class)
	public static class Application {

	}

	@RestController
	static class HelloController {

		@GetMapping("/hello")
		String hello() {
			return "hello";
		}

	}

}
