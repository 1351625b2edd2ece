package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.testing.ProblemDetailsConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The registry's exceptions in an application's own controller, on a real Netty server (WebFlux).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ProblemDetailsTests extends ProblemDetailsConformanceTests {

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(ProblemDetailsConformanceTests.Application.class)
	static class TestApplication {

	}

}
