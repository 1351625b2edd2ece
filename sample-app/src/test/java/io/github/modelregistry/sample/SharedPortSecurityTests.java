package io.github.modelregistry.sample;

import java.io.IOException;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When Actuator shares the application's port, Spring Security's filter stays on that port (it is taken off only
 * where the management server has a port of its own) and still secures Actuator, while inference stays open.
 */
class SharedPortSecurityTests {

	@Test
	void onASharedPortActuatorIsStillSecuredAndInferenceStaysOpen() throws IOException {
		int port;
		try (ServerSocket free = new ServerSocket(0)) {
			port = free.getLocalPort();
		}
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--server.port=" + port, "--management.server.port=" + port,
				"--spring.security.user.password=" + SampleModels.PASSWORD)) {
			assertThat(SampleModels.get(port, "/actuator/models", false).statusCode()).isEqualTo(401);
			assertThat(SampleModels.get(port, "/actuator/models", true).statusCode()).isEqualTo(200);
			assertThat(SampleModels.get(port, "/actuator/health/liveness", false).statusCode()).isEqualTo(200);
			assertThat(SampleModels.infer(port, "restaurant-ranker").statusCode()).isEqualTo(200);
		}
	}

}
