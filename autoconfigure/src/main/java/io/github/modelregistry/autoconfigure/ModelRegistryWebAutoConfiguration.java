package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.web.InferenceGuard;
import io.github.modelregistry.web.InferenceScheduler;
import io.github.modelregistry.web.Resilience4jInferenceGuard;
import io.github.modelregistry.web.V2InferenceHandler;
import io.github.modelregistry.web.V2Routes;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Auto-configuration of the Open Inference Protocol (KServe V2) REST API on WebFlux functional endpoints.
 *
 * @author model-registry
 */
@AutoConfiguration(after = ModelRegistryAutoConfiguration.class,
		afterName = { "io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
				"io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration",
				"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration" })
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ RouterFunction.class, tools.jackson.core.JsonParser.class })
@ConditionalOnBean(ModelRegistry.class)
@ConditionalOnBooleanProperty(name = "model-registry.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelRegistryProperties.class)
public final class ModelRegistryWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	InferenceScheduler inferenceScheduler(ModelRegistryProperties properties, ObjectProvider<InferenceGuard> guard) {
		ModelRegistryProperties.Web web = properties.getWeb();
		Integer threads = web.getInferenceThreads();
		return new InferenceScheduler((threads != null) ? threads : Runtime.getRuntime().availableProcessors(),
				web.getMaxQueuedInferences(), guard.getIfAvailable(() -> InferenceGuard.NONE));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ BulkheadRegistry.class, TimeLimiterRegistry.class, CircuitBreakerRegistry.class,
			BulkheadOperator.class })
	static class Resilience4jConfiguration {

		@Bean
		@ConditionalOnMissingBean
		InferenceGuard resilience4jInferenceGuard(ModelRegistry registry, ModelRegistryProperties properties,
				ObjectProvider<BulkheadRegistry> bulkheads, ObjectProvider<TimeLimiterRegistry> timeLimiters,
				ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
			ModelRegistryProperties.Resilience resilience = properties.getResilience();
			return new Resilience4jInferenceGuard(registry::contains,
					resilience.getBulkhead().isEnabled() ? bulkheads.getIfAvailable() : null,
					resilience.getTimeLimiter().isEnabled() ? timeLimiters.getIfAvailable() : null,
					resilience.getCircuitBreaker().isEnabled() ? circuitBreakers.getIfAvailable() : null);
		}

	}

	@Bean
	@ConditionalOnMissingBean
	V2InferenceHandler v2InferenceHandler(ModelRegistry registry, InferenceScheduler inferenceScheduler,
			ModelRegistryProperties properties, ObjectProvider<TensorBufferPool> tensorBufferPool) {
		ModelRegistryProperties.Web web = properties.getWeb();
		return new V2InferenceHandler(registry, inferenceScheduler, (int) web.getMaxRequestSize().toBytes(),
				web.getMaxElements(), tensorBufferPool.getIfAvailable());
	}

	@Bean
	@ConditionalOnMissingBean(name = "v2InferenceRoutes")
	RouterFunction<ServerResponse> v2InferenceRoutes(V2InferenceHandler v2InferenceHandler,
			ModelRegistryProperties properties) {
		return V2Routes.routes(v2InferenceHandler, properties.getWeb().getBasePath());
	}

}
