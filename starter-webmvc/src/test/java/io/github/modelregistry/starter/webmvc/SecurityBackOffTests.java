package io.github.modelregistry.starter.webmvc;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.webmvc.autoconfigure.ModelRegistryWebMvcSecurityAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The inference and operator chains join Spring Boot's default security only: an application with a chain of its
 * own, even one named as Boot names its default, owns its security.
 */
class SecurityBackOffTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class, SecurityAutoConfiguration.class,
				UserDetailsServiceAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
				ModelRegistryWebMvcSecurityAutoConfiguration.class));

	@Test
	void joinsBootsDefaults() {
		this.contextRunner.run((context) -> assertThat(context).hasNotFailed()
			.hasBean("defaultSecurityFilterChain")
			.hasBean("modelRegistryInferenceSecurityFilterChain")
			.hasBean("modelRegistryOperatorSecurityFilterChain"));
	}

	@Test
	void backsOffForTheApplicationsOwnChain() {
		this.contextRunner.withUserConfiguration(OwnSecurity.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean("modelRegistryInferenceSecurityFilterChain")
				.doesNotHaveBean("modelRegistryOperatorSecurityFilterChain"));
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnSecurity {

		@Bean
		SecurityFilterChain defaultSecurityFilterChain(HttpSecurity http) throws Exception {
			return http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated()).build();
		}

	}

}
