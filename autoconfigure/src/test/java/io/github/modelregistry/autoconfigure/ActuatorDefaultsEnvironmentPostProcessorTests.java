package io.github.modelregistry.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ActuatorDefaultsEnvironmentPostProcessor}: Actuator's reads cached for a second, below every
 * value an application sets.
 */
class ActuatorDefaultsEnvironmentPostProcessorTests {

	private final ActuatorDefaultsEnvironmentPostProcessor postProcessor = new ActuatorDefaultsEnvironmentPostProcessor();

	@Test
	void healthPrometheusAndMetricsAreAnsweredFromAResultAtMostASecondOld() {
		StandardEnvironment environment = new StandardEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		for (String endpoint : new String[] { "health", "prometheus", "metrics" }) {
			assertThat(Binder.get(environment)
				.bind("management.endpoint." + endpoint + ".cache.time-to-live", Duration.class)
				.get()).as(endpoint).isEqualTo(Duration.ofSeconds(1));
		}
	}

	@Test
	void anApplicationsOwnValueWins() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of("management.endpoint.health.cache.time-to-live", "0s")));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(Binder.get(environment).bind("management.endpoint.health.cache.time-to-live", Duration.class).get())
			.isEqualTo(Duration.ZERO);
	}

}
