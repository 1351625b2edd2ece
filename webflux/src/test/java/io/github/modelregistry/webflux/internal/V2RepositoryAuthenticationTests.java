package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.testing.RepositoryAuthenticationConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The repository extension turned on in a WebFlux application with no security at all: every call a 401.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "model-registry.web.repository-enabled=true", "management.server.port=0",
				"model-registry.models.scorer.load=eager" })
class V2RepositoryAuthenticationTests extends RepositoryAuthenticationConformanceTests {

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
