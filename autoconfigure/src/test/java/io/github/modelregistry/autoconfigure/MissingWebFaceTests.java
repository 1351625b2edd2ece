package io.github.modelregistry.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A web application whose stack has no V2 face on the class path is told so once, with the starter that adds it; one
 * that serves no HTTP is not (each face's module checks that an application with the face is not either).
 */
@ExtendWith(OutputCaptureExtension.class)
class MissingWebFaceTests {

	private static final AutoConfigurations REGISTRY = AutoConfigurations.of(ModelRegistryAutoConfiguration.class);

	/** Neither face is on this module's test class path. */
	@Test
	void aServletApplicationWithoutTheMvcFaceIsToldWhichStarterAddsIt(CapturedOutput output) {
		new WebApplicationContextRunner().withConfiguration(REGISTRY).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(MissingWebFace.class);
			assertThat(output).containsOnlyOnce("Spring MVC (servlet) application")
				.contains("add model-registry-spring-boot-starter-webmvc");
		});
	}

	@Test
	void aReactiveApplicationWithoutTheWebFluxFaceIsToldWhichStarterAddsIt(CapturedOutput output) {
		new ReactiveWebApplicationContextRunner().withConfiguration(REGISTRY).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(MissingWebFace.class);
			assertThat(output).containsOnlyOnce("Spring WebFlux (reactive) application")
				.contains("add model-registry-spring-boot-starter to serve");
		});
	}

	@Test
	void anApplicationWithoutHttpIsToldNothing(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(REGISTRY).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(MissingWebFace.class);
			assertThat(output).doesNotContain("V2 REST face");
		});
	}

}
