package io.github.modelregistry.webmvc.internal;

import io.github.modelregistry.testing.V2ConformanceTests;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;

/**
 * The Open Inference Protocol on a real Tomcat server, in a Spring MVC application, with real ONNX models: the conformance suite every V2 REST
 * face passes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "model-registry.web.max-request-size=64KB", "model-registry.web.max-elements=100000",
				"resilience4j.bulkhead.instances.scorer.max-concurrent-calls=1000" })
class V2InferenceApiTests extends V2ConformanceTests {

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@Import(V2ConformanceTests.Models.class)
	static class TestApplication {

	}

}
