package io.github.modelregistry.starter.webmvc;

import io.github.modelregistry.testing.BootSecurityDefaultsConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * A Spring MVC service on the webmvc starter that keeps Spring Security's defaults, on a real Tomcat server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "spring.security.user.name=operator", "spring.security.user.password=secret",
				"management.endpoints.web.exposure.include=health,models", "management.endpoint.models.access=unrestricted",
				"model-registry.models.scorer.load=eager" })
class BootSecurityDefaultsTests extends BootSecurityDefaultsConformanceTests {

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(BootSecurityDefaultsConformanceTests.Application.class)
	static class TestApplication {

	}

}
