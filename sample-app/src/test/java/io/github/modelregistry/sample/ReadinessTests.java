package io.github.modelregistry.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Readiness follows the models: down while a background model cannot load, up once it can; liveness stays up.
 */
class ReadinessTests {

	@TempDir
	Path base;

	@Test
	void readinessIsDownUntilABackgroundModelLoadsAndLivenessStaysUp() throws Exception {
		Files.createDirectories(this.base.resolve("restaurant-ranker"));
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--server.port=0", "--management.server.port=0", "--model-registry.base-path=file:" + this.base,
				"--model-registry.models.restaurant-ranker.load=background",
				"--model-registry.load-retry-interval=100ms",
				"--spring.security.user.password=" + SampleModels.PASSWORD)) {
			int management = Integer.parseInt(context.getEnvironment().getProperty("local.management.port"));
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
			var readiness = SampleModels.get(management, "/actuator/health/readiness", false);
			assertThat(readiness.statusCode()).isEqualTo(503);
			assertThat(readiness.body()).contains("\"restaurant-ranker\":{\"status\":\"DOWN\"}");
			assertThat(SampleModels.get(management, "/actuator/health/liveness", false).statusCode()).isEqualTo(200);
			assertThat(SampleModels.get(port, "/v2/health/ready", false).statusCode()).isEqualTo(503);
			assertThat(SampleModels.get(management, "/actuator/models/restaurant-ranker", true).body())
				.contains("\"state\":\"FAILED\"", "No version of model 'restaurant-ranker' found");

			// The storage catches up: the next retry loads the model
			SampleModels.copy(this.base, "restaurant-ranker", 1);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> SampleModels.get(management, "/actuator/health/readiness", false).statusCode() == 200);
			assertThat(SampleModels.get(management, "/actuator/health/liveness", false).statusCode()).isEqualTo(200);
			assertThat(SampleModels.get(port, "/v2/health/ready", false).statusCode()).isEqualTo(200);
			assertThat(SampleModels.infer(port, "restaurant-ranker").body()).contains("\"model_version\":\"1\"");
		}
	}

}
