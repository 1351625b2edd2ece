package io.github.modelregistry.webmvc.internal;

import io.github.modelregistry.testing.BodilessReloadConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A reload without a body, on the application server's port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=models", "management.endpoint.models.access=unrestricted",
				"model-registry.management.authenticated-writes=false", "model-registry.models.scorer.load=eager" })
class BodilessReloadOnApplicationPortTests extends BodilessReloadConformanceTests {

	@LocalServerPort
	int port;

	@Override
	protected int actuatorPort() {
		return this.port;
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
