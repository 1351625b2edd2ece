package io.github.modelregistry.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Defaults for Actuator that keep anonymous reads off the inference path's cores, each only a default: an
 * application's own value wins. {@code management.endpoint.health.cache.time-to-live=1s} and the same for
 * {@code prometheus} and {@code metrics}: a probe or scrape within a second of another is answered from what that one
 * computed (Actuator caches reads without arguments, per principal), so a client that loops on them costs HTTP, not
 * a health check or a scrape of every meter each time. Health is at most a second old; Prometheus scrapes every 15
 * s or more.
 */
final class ActuatorDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final Map<String, Object> DEFAULTS = Map.of("management.endpoint.health.cache.time-to-live", "1s",
			"management.endpoint.prometheus.cache.time-to-live", "1s", "management.endpoint.metrics.cache.time-to-live",
			"1s");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ClassUtils.isPresent("org.springframework.boot.actuate.endpoint.annotation.Endpoint",
				getClass().getClassLoader())) {
			environment.getPropertySources().addLast(new MapPropertySource("modelRegistryActuatorDefaults", DEFAULTS));
		}
	}

}
