package io.github.modelregistry.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Open Inference Protocol's model repository extension, turned on, as Triton's and KServe's clients call it:
 * on the management port only, behind the operator's credentials, loading and unloading models by name under the
 * base path while the inference port serves them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "model-registry.web.repository-enabled=true")
class RepositoryExtensionTests {

	static final Path BASE = createBase();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	static Path createBase() {
		try {
			Path base = SampleModels.copy(Files.createTempDirectory("repository"), "restaurant-ranker", 1, 2);
			SampleModels.copy(base, "ranker-repo", 1);
			Files.createDirectories(base.resolve("empty"));
			return base;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("model-registry.base-path", () -> "file:" + BASE);
		registry.add("management.server.port", () -> "0");
		registry.add("spring.security.user.password", () -> SampleModels.PASSWORD);
	}

	@Test
	void loadsServesAndUnloadsAModelByName() {
		HttpResponse<String> index = repository("/v2/repository/index", true);
		assertThat(index.statusCode()).isEqualTo(200);
		assertThat(index.body()).contains("{\"name\":\"ranker-repo\",\"state\":\"UNAVAILABLE\",\"reason\":\"not loaded\"}",
				"{\"name\":\"restaurant-ranker\",\"version\":\"2\",\"state\":\"READY\"}");

		HttpResponse<String> load = repository("/v2/repository/models/ranker-repo/load", true);
		assertThat(load.statusCode()).isEqualTo(200);
		assertThat(load.body()).isEqualTo("{}");
		assertThat(SampleModels.infer(this.port, "ranker-repo").statusCode()).isEqualTo(200);
		assertThat(repository("/v2/repository/index", true).body())
			.contains("{\"name\":\"ranker-repo\",\"version\":\"1\",\"state\":\"READY\"}");

		HttpResponse<String> again = repository("/v2/repository/models/ranker-repo/load", true);
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("\"error\":", "already registered");

		assertThat(repository("/v2/repository/models/ranker-repo/unload", true).statusCode()).isEqualTo(200);
		assertThat(SampleModels.infer(this.port, "ranker-repo").statusCode()).isEqualTo(404);
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
	}

	@Test
	void nothingWithoutTheOperatorsCredentials() {
		for (String path : new String[] { "/v2/repository/index", "/v2/repository/models/ranker-repo/load",
				"/v2/repository/models/restaurant-ranker/unload" }) {
			assertThat(repository(path, false).statusCode()).as(path).isEqualTo(401);
		}
		assertThat(SampleModels.infer(this.port, "ranker-repo").statusCode()).isEqualTo(404);
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
	}

	@Test
	void theInferencePortHasNoRepository() {
		HttpResponse<String> index = SampleModels.post(this.port, "/v2/repository/index", "{}", true);
		assertThat(index.statusCode()).isEqualTo(404);
		assertThat(SampleModels.post(this.port, "/v2/repository/models/ranker-repo/load", "{}", true).statusCode())
			.isEqualTo(404);
		assertThat(SampleModels.infer(this.port, "ranker-repo").statusCode()).isEqualTo(404);
	}

	@Test
	void badNamesAndFoldersAreClientErrorsWithAJsonMessage() {
		for (String trick : new String[] { "..%2Frestaurant-ranker", "%2e%2e", "a%2Fb", "%2E%2E%2Fetc" }) {
			// Spring Security's firewall refuses these before any route: answered in JSON, as every other refusal
			HttpResponse<String> dots = repository("/v2/repository/models/" + trick + "/load", true);
			assertThat(dots.statusCode()).as(trick).isEqualTo(400);
			assertThat(dots.body()).as(trick).contains("\"error\":\"The request was rejected").doesNotContain("Exception");
		}
		HttpResponse<String> invalid = repository("/v2/repository/models/.hidden/load", true);
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body()).contains("\"error\":\"Invalid model name '.hidden'").doesNotContain("Exception");
		HttpResponse<String> empty = repository("/v2/repository/models/empty/load", true);
		assertThat(empty.statusCode()).isEqualTo(422);
		assertThat(empty.body()).contains("\"error\":", "No version of model 'empty'");
		HttpResponse<String> unknown = repository("/v2/repository/models/nobody/unload", true);
		assertThat(unknown.statusCode()).isEqualTo(404);
		assertThat(unknown.body()).contains("Unknown model 'nobody'");
	}

	@Test
	void aLoadCanMakeTheModelEvictableAndRefusesParametersItWouldIgnore() {
		SampleModels.copy(BASE, "ranker-evictable", 1);
		HttpResponse<String> load = SampleModels.post(this.managementPort,
				"/v2/repository/models/ranker-evictable/load", "{\"parameters\": {\"evictable\": true}}", true);
		assertThat(load.statusCode()).isEqualTo(200);
		assertThat(SampleModels.get(this.managementPort, "/actuator/models/ranker-evictable", true).body())
			.contains("\"evictable\":true", "\"load\":\"lazy\"", "\"state\":\"AVAILABLE\"");
		assertThat(SampleModels.infer(this.port, "ranker-evictable").statusCode()).isEqualTo(200);
		assertThat(repository("/v2/repository/models/ranker-evictable/unload", true).statusCode()).isEqualTo(200);

		SampleModels.copy(BASE, "ranker-config", 1);
		HttpResponse<String> config = SampleModels.post(this.managementPort, "/v2/repository/models/ranker-config/load",
				"{\"parameters\": {\"config\": \"{\\\"max_batch_size\\\": 8}\"}}", true);
		assertThat(config.statusCode()).isEqualTo(400);
		assertThat(config.body()).contains("\"error\":", "the parameter 'config', which is not supported")
			.doesNotContain("Exception");
		HttpResponse<String> notJson = SampleModels.post(this.managementPort,
				"/v2/repository/models/ranker-config/load", "{\"parameters\": ", true);
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(notJson.body()).contains("is not valid JSON");
		HttpResponse<String> tooLarge = SampleModels.post(this.managementPort,
				"/v2/repository/models/ranker-config/load", "{\"parameters\": {}}" + " ".repeat(8192), true);
		assertThat(tooLarge.statusCode()).isEqualTo(413);
		assertThat(tooLarge.body()).contains("at most 4096 bytes");
		assertThat(SampleModels.infer(this.port, "ranker-config").statusCode()).as("nothing was loaded").isEqualTo(404);
	}

	private HttpResponse<String> repository(String path, boolean authenticated) {
		return SampleModels.post(this.managementPort, path, "{}", authenticated);
	}

}
