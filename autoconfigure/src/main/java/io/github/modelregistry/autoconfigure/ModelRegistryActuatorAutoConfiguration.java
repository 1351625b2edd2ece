package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.actuate.ModelRegistryMetrics;
import io.github.modelregistry.actuate.ModelsEndpoint;
import io.github.modelregistry.actuate.ModelsHealthContributor;
import io.github.modelregistry.actuate.TensorBufferPoolMetrics;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of Actuator support for the model registry: the {@code models} endpoint, the {@code models}
 * health contributor and Micrometer metrics, each when its part of Actuator is on the class path.
 */
@AutoConfiguration(after = ModelRegistryAutoConfiguration.class)
@ConditionalOnBean(ModelRegistry.class)
public final class ModelRegistryActuatorAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(ConditionalOnAvailableEndpoint.class)
	@ConditionalOnAvailableEndpoint(ModelsEndpoint.class)
	static class ModelsEndpointConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ModelsEndpoint modelsEndpoint(ModelRegistry registry, ModelRegistryProperties properties) {
			return new ModelsEndpoint(registry, properties.getManagement().isAuthenticatedWrites());
		}

		@Bean
		static UnauthenticatedWritesReport modelRegistryUnauthenticatedWritesReport(Environment environment) {
			return new UnauthenticatedWritesReport(environment);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ CompositeHealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
	@ConditionalOnEnabledHealthIndicator("models")
	static class ModelsHealthConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "modelsHealthContributor")
		CompositeHealthContributor modelsHealthContributor(ModelRegistry registry) {
			return ModelsHealthContributor.of(registry);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class ModelMetricsConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ModelRegistryMetrics modelRegistryMetrics(ModelRegistry registry) {
			return new ModelRegistryMetrics(registry);
		}

		@Bean
		@ConditionalOnBean(TensorBufferPool.class)
		@ConditionalOnMissingBean
		TensorBufferPoolMetrics tensorBufferPoolMetrics(TensorBufferPool tensorBufferPool) {
			return new TensorBufferPoolMetrics(tensorBufferPool);
		}

	}

}
