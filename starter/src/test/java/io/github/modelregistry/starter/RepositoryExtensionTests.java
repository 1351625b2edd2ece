package io.github.modelregistry.starter;

import io.github.modelregistry.testing.RepositoryExtensionConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The V2 repository extension on the management port of a WebFlux service on the starter, on real Netty servers, with Spring Security's defaults.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "model-registry.web.repository-enabled=true",
				"spring.security.user.name=operator", "spring.security.user.password=secret",
				"model-registry.models.scorer.load=eager" })
class RepositoryExtensionTests extends RepositoryExtensionConformanceTests {

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
