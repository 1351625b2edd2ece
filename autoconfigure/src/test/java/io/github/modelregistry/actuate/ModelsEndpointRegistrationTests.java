package io.github.modelregistry.actuate;

import java.nio.file.Path;
import java.util.List;

import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that opted in to the {@code models} endpoint's writes and says a gateway authenticates its
 * operators (the endpoint's own answers are under test, not authentication: {@link ModelsEndpointWritesTests} and the
 * sample app's tests cover that): models registered by name and unregistered over HTTP, every refusal a 4xx with a
 * JSON message, nothing changed by one.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=models,health,metrics",
				"management.endpoint.models.access=unrestricted", "management.endpoint.health.show-details=always",
				"model-registry.models.scorer.load=eager", "model-registry.management.authenticated-writes=false" })
@AutoConfigureWebTestClient
@DirtiesContext
class ModelsEndpointRegistrationTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("endpoint-registration-models")
		.with("scorer", 1, TestModels.scorer(4, 0f))
		.with("guest", 1, TestModels.scorer(4, 1f))
		.withFolder("empty");

	static final Path BASE = MODELS.base();

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 4, 3, 2, 1));

	@Autowired
	WebTestClient client;

	@Autowired
	ModelRegistry registry;

	@Autowired
	MeterRegistry meters;

	@DynamicPropertySource
	static void basePath(DynamicPropertyRegistry properties) {
		properties.add("model-registry.base-path", () -> "file:" + BASE);
	}

	@Test
	void registersServesAndUnregistersAModelWithItsMetricsAndHealth() {
		this.client.post()
			.uri("/actuator/models")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"guest\"}")
			.exchange()
			.expectStatus()
			.isCreated()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("REGISTERED")
			.jsonPath("$.status.version").isEqualTo(1)
			.jsonPath("$.status.state").isEqualTo("AVAILABLE");
		assertThat(this.registry.infer("guest", null, FEATURES, List.of()).version()).isEqualTo(1);
		assertThat(this.meters.find("model.inference").tag("model", "guest").timer()).isNotNull();
		this.client.get().uri("/actuator/models/guest").exchange().expectStatus().isOk();
		this.client.get().uri("/actuator/health/models/guest").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.status").isEqualTo("UP");
		assertThat(this.meters.find("model.version").tag("model", "guest").gauge()).isNotNull();

		this.client.delete().uri("/actuator/models/guest").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.outcome").isEqualTo("UNREGISTERED");
		assertThat(this.registry.names()).containsExactly("scorer");
		this.client.get().uri("/actuator/models/guest").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/health/models/guest").exchange().expectStatus().isNotFound();
		this.client.get().uri("/actuator/models").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.models.length()").isEqualTo(1);
		assertThat(this.meters.find("model.version").tag("model", "guest").gauge()).isNull();
		assertThat(this.meters.find("model.reads.active").tag("model", "guest").gauge()).isNull();
		assertThat(this.meters.find("model.inference").tag("model", "guest").meters()).isEmpty();
		assertThat(this.meters.find("model.version").tag("model", "scorer").gauge()).isNotNull();
	}

	@Test
	void aNameServedAlreadyIsAConflict() {
		this.client.post()
			.uri("/actuator/models")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"scorer\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(409)
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("CONFLICT")
			.jsonPath("$.message").value((message) -> assertThat((String) message).contains("already registered"));
		assertThat(this.registry.status("scorer").counters().loads()).isEqualTo(1);
	}

	@ParameterizedTest
	@ValueSource(strings = { "..", "../scorer", "%2e%2e", "/etc/passwd", "a/b", ".hidden" })
	void aNameThatIsNotAFolderNameInsideTheBaseIsABadRequest(String name) {
		this.client.post()
			.uri("/actuator/models")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"" + name.replace("\\", "\\\\") + "\"}")
			.exchange()
			.expectStatus()
			.isBadRequest()
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("INVALID")
			.jsonPath("$.message").value((message) -> assertThat((String) message).doesNotContain("Exception"));
		assertThat(this.registry.names()).containsExactly("scorer");
	}

	@Test
	void aFolderWithNothingToLoadIsUnprocessable() {
		this.client.post()
			.uri("/actuator/models")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"name\": \"empty\"}")
			.exchange()
			.expectStatus()
			.isEqualTo(422)
			.expectBody()
			.jsonPath("$.outcome").isEqualTo("NOT_LOADABLE")
			.jsonPath("$.message").value((message) -> assertThat((String) message).contains("No version of model 'empty'"));
		assertThat(this.registry.names()).containsExactly("scorer");
	}

	@Test
	void unregisteringAnUnknownModelIsANotFound() {
		this.client.delete().uri("/actuator/models/nobody").exchange().expectStatus().isNotFound().expectBody()
			.jsonPath("$.outcome").isEqualTo("NOT_FOUND");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
