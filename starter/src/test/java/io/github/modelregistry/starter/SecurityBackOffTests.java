package io.github.modelregistry.starter;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.webflux.autoconfigure.ModelRegistryWebFluxSecurityAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.ReactiveUserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.reactive.ReactiveWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * In a WebFlux application without Actuator, Spring Security makes its default chain only when no chain is
 * declared: the inference chain then comes with that default declared again, so that everything else stays
 * authenticated. An application with a chain of its own, even one named as Boot names Actuator's, owns its security.
 */
class SecurityBackOffTests {

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class, SecurityAutoConfiguration.class,
				ReactiveUserDetailsServiceAutoConfiguration.class, ReactiveWebSecurityAutoConfiguration.class,
				ModelRegistryWebFluxSecurityAutoConfiguration.class));

	@Test
	void withoutActuatorTheDefaultIsDeclaredAgainBesideInference() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasBean("modelRegistryInferenceSecurityFilterChain")
			.hasBean("modelRegistryDefaultSecurityFilterChain")
			.doesNotHaveBean("modelRegistryOperatorSecurityFilterChain"));
	}

	@Test
	void backsOffForTheApplicationsOwnChain() {
		this.contextRunner.withUserConfiguration(OwnSecurity.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBeans(SecurityWebFilterChain.class)
				.containsOnlyKeys("springSecurityFilterChain"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSecurity {

		@Bean
		SecurityWebFilterChain springSecurityFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated()).build();
		}

	}

}
