package io.github.modelregistry.webmvc.internal;

import io.github.modelregistry.testing.BodilessReloadConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;

/**
 * A reload without a body, on the management server's port.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=models", "management.endpoint.models.access=unrestricted",
				"model-registry.management.authenticated-writes=false", "model-registry.models.scorer.load=eager", "management.server.port=0" })
class BodilessReloadOnManagementPortTests extends BodilessReloadConformanceTests {

	@LocalManagementPort
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
