package io.github.modelregistry.actuate;

import java.io.IOException;
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
 * An application that exposes the {@code models} endpoint without securing it, and without opting in to writes:
 * the endpoint reads, and nobody can reload a model through it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=models",
				"model-registry.models.scorer.load=eager" })
@AutoConfigureWebTestClient
class ModelsEndpointAccessTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("endpoint-access-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("scorer", 2, TestModels.scorer(4, 1f));

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
	void readsAreAllowedByDefault() {
		this.client.get().uri("/actuator/models/scorer").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.version").isEqualTo(2);
	}

	@Test
	void reloadsAreRefusedUntilAnApplicationOptsIn() {
		long publishes = this.registry.status("scorer").counters().publishes();
		this.client.post()
			.uri("/actuator/models/scorer")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"version\": 1}")
			.exchange()
			.expectStatus()
			.is4xxClientError();
		assertThat(this.registry.status("scorer").version()).isEqualTo(2);
		assertThat(this.registry.status("scorer").counters().publishes()).isEqualTo(publishes);
	}

	@Test
	void registrationsAndUnregistrationsAreRefusedUntilAnApplicationOptsIn() throws IOException {
		TestModels.write(BASE, "guest", 1, TestModels.scorer(4, 0f));
		this.client.post()
			.uri("/actuator/models")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"guest\"}")
			.exchange()
			.expectStatus()
			.is4xxClientError();
		this.client.delete().uri("/actuator/models/scorer").exchange().expectStatus().is4xxClientError();
		assertThat(this.registry.names()).containsExactly("scorer");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
