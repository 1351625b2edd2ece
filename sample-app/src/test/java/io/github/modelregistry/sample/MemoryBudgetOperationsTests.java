package io.github.modelregistry.sample;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native-memory budget as an operator meets it over HTTP: a model that cannot fit is refused with a 507 and a
 * JSON message, nothing else changes, and an evictable model is registered, served and shown with its charge.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class MemoryBudgetOperationsTests {

	static final Path BASE = createBase();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeterRegistry meters;

	static Path createBase() {
		try {
			Path base = SampleModels.copy(Files.createTempDirectory("budget"), "restaurant-ranker", 1, 2);
			// A model file of 200 MB, sparse: it takes no disk, and no load ever reads it (its size is refused first)
			Path huge = Files.createDirectories(base.resolve("huge").resolve("1")).resolve("model.onnx");
			try (RandomAccessFile file = new RandomAccessFile(huge.toFile(), "rw")) {
				file.setLength(200L * 1024 * 1024);
			}
			return base;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("model-registry.base-path", () -> "file:" + BASE);
		registry.add("model-registry.memory.max", () -> "128MB");
		registry.add("management.server.port", () -> "0");
		registry.add("spring.security.user.password", () -> SampleModels.PASSWORD);
	}

	@Test
	void aModelThatCannotFitIsA507AndTheModelsServingGoOnServing() {
		HttpResponse<String> refused = SampleModels.register(this.managementPort, "huge", true);
		assertThat(refused.statusCode()).isEqualTo(507);
		assertThat(refused.body()).contains("\"outcome\":\"OUT_OF_MEMORY\"",
				"Model 'huge' version 1 needs at least 200.0 MB of native memory",
				"the budget of 128.0 MB (model-registry.memory.max)")
			.doesNotContain("Exception", "\tat ");
		assertThat(SampleModels.infer(this.port, "huge").statusCode()).isEqualTo(404);
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
		assertThat(this.meters.get("model.lifecycle").tags("model", "huge", "event", "refuse").counter().count())
			.isEqualTo(1);
	}

	@Test
	void anEvictableModelIsRegisteredServedAndShownWithItsCharge() {
		SampleModels.copy(BASE, "ranker-tenant", 1);
		HttpResponse<String> registered = SampleModels.post(this.managementPort, "/actuator/models",
				"{\"name\": \"ranker-tenant\", \"evictable\": true}", true);
		assertThat(registered.statusCode()).isEqualTo(201);
		assertThat(registered.body()).contains("\"outcome\":\"REGISTERED\"", "\"state\":\"AVAILABLE\"",
				"\"load\":\"lazy\"", "\"evictable\":true");
		assertThat(SampleModels.infer(this.port, "ranker-tenant").body()).contains("\"model_version\":\"1\"");
		HttpResponse<String> detail = SampleModels.get(this.managementPort, "/actuator/models/ranker-tenant", true);
		assertThat(detail.body()).containsPattern("\"memoryBytes\":[1-9][0-9]*");
		assertThat(this.meters.get("model.memory.max").gauge().value()).isEqualTo(128.0 * 1024 * 1024);
		assertThat(this.meters.get("model.memory").tags("model", "ranker-tenant").gauge().value()).isPositive();
		assertThat(SampleModels.unregister(this.managementPort, "ranker-tenant", true).statusCode()).isEqualTo(200);
	}

	@Test
	void anEvictableRegistrationIsRefusedWithoutCredentials() {
		SampleModels.copy(BASE, "ranker-anonymous", 1);
		HttpResponse<String> anonymous = SampleModels.post(this.managementPort, "/actuator/models",
				"{\"name\": \"ranker-anonymous\", \"evictable\": true}", false);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(SampleModels.infer(this.port, "ranker-anonymous").statusCode()).isEqualTo(404);
	}

}
