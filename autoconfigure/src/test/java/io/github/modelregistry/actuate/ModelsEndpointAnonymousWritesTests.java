package io.github.modelregistry.actuate;

import java.nio.file.Path;

import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration the docs once gave, the {@code models} endpoint exposed with its writes opened, in an application
 * with no security at all: every write is a 401 that says what is missing, and changes nothing; reads answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=models",
				"management.endpoint.models.access=unrestricted", "model-registry.models.scorer.load=eager" })
@AutoConfigureWebTestClient
class ModelsEndpointAnonymousWritesTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("anonymous-writes-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("scorer", 2, TestModels.scorer(4, 1f))
		.with("guest", 1, TestModels.scorer(4, 1f));

	static final Path BASE = MODELS.base();

	@Autowired
	WebTestClient client;

	@Autowired
	ModelRegistry registry;

	@DynamicPropertySource
	static void basePath(DynamicPropertyRegistry properties) {
		properties.add("model-registry.base-path", () -> "file:" + BASE);
	}

	@Test
	void everyWriteIsA401AndChangesNothing() {
		long publishes = this.registry.status("scorer").counters().publishes();
		this.client.post().uri("/actuator/models/scorer").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"version\": 1}").exchange().expectStatus().isUnauthorized().expectBody()
			.jsonPath("$.outcome").isEqualTo("UNAUTHENTICATED")
			.jsonPath("$.message").value(String.class, (message) -> assertThat(message).contains("authenticated caller"));
		this.client.post().uri("/actuator/models").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"guest\"}").exchange().expectStatus().isUnauthorized();
		this.client.delete().uri("/actuator/models/scorer").exchange().expectStatus().isUnauthorized();
		assertThat(this.registry.names()).containsExactly("scorer");
		assertThat(this.registry.status("scorer").version()).isEqualTo(2);
		assertThat(this.registry.status("scorer").counters().publishes()).isEqualTo(publishes);
		this.client.get().uri("/actuator/models/scorer").exchange().expectStatus().isOk();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
