package io.github.modelregistry.actuate;

import java.security.Principal;

import io.github.modelregistry.autoconfigure.ModelRegistryActuatorAutoConfiguration;
import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.registry.DoublingModel;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may write through the {@code models} endpoint: an authenticated caller, unless the application says another
 * layer authenticates them; and the line an application gets when it opened the writes but has no way to
 * authenticate anyone.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelsEndpointWritesTests {

	private static final SecurityContext ALICE = new SecurityContext() {

		@Override
		public Principal getPrincipal() {
			return () -> "alice";
		}

		@Override
		public boolean isUserInRole(String role) {
			return false;
		}

	};

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class,
				ModelRegistryActuatorAutoConfiguration.class))
		.withBean(ModelRegistryCustomizer.class, () -> (builder) -> builder.model(new DoublingModel("m", 1)))
		.withPropertyValues("management.endpoints.web.exposure.include=models");

	@Test
	void aWriteNeedsAnAuthenticatedCaller() {
		this.contextRunner.run((context) -> {
			ModelsEndpoint endpoint = context.getBean(ModelsEndpoint.class);
			assertThat(endpoint.unregister(SecurityContext.NONE, "m").getStatus()).isEqualTo(401);
			assertThat(endpoint.reload(SecurityContext.NONE, "m", null).getStatus()).isEqualTo(401);
			assertThat(endpoint.register(SecurityContext.NONE, "n", null).getStatus()).isEqualTo(401);
			assertThat(context.getBean(ModelRegistry.class).names()).containsExactly("m");
			assertThat(endpoint.unregister(ALICE, "m").getStatus()).isEqualTo(200);
			assertThat(context.getBean(ModelRegistry.class).names()).isEmpty();
		});
	}

	@Test
	void anApplicationWhoseGatewayAuthenticatesMaySayNoCallerNeedsTo() {
		this.contextRunner.withPropertyValues("model-registry.management.authenticated-writes=false")
			.run((context) -> assertThat(context.getBean(ModelsEndpoint.class).unregister(SecurityContext.NONE, "m")
				.getStatus()).isEqualTo(200));
	}

	@Test
	void openedWritesWithoutSpringSecurityAreReportedOnce(CapturedOutput output) {
		this.contextRunner
			.withPropertyValues("management.endpoint.models.access=UNRESTRICTED")
			.run((context) -> assertThat(output).containsOnlyOnce("without Spring Security none can be")
				.contains("add spring-boot-starter-security".replace("add", "Add")));
	}

	@Test
	void writesLeftClosedAreNotReported(CapturedOutput output) {
		this.contextRunner.run((context) -> assertThat(output).doesNotContain("without Spring Security"));
	}


}
