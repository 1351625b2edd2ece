package io.github.modelregistry.starter.webmvc;

import io.github.modelregistry.testing.RepositoryExtensionConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The V2 repository extension on the management port of a Spring MVC service on the webmvc starter, on real Tomcat servers, with Spring Security's defaults.
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
