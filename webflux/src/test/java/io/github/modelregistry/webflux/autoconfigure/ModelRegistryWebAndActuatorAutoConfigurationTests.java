package io.github.modelregistry.webflux.autoconfigure;

import io.github.modelregistry.autoconfigure.ModelRegistryActuatorAutoConfiguration;
import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import java.nio.file.Path;

import io.github.modelregistry.actuate.ModelRegistryMetrics;
import io.github.modelregistry.actuate.ModelsEndpoint;
import io.github.modelregistry.actuate.TensorBufferPoolMetrics;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.webflux.internal.AnonymousManagementCalls;
import io.github.modelregistry.webflux.internal.JsonExchangeRejectedHandler;
import io.github.modelregistry.webflux.internal.V2InferenceHandler;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelRegistryWebAutoConfiguration} and {@link ModelRegistryActuatorAutoConfiguration}.
 */
class ModelRegistryWebAndActuatorAutoConfigurationTests {

	@TempDir
	Path base;

	private String[] properties;

	@BeforeEach
	void writeModels() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		this.properties = new String[] { "model-registry.base-path=file:" + this.base,
				"model-registry.models.scorer.load=eager" };
	}

	private ReactiveWebApplicationContextRunner web() {
		return new ReactiveWebApplicationContextRunner().withConfiguration(AutoConfigurations
			.of(ModelRegistryAutoConfiguration.class, ModelRegistryWebAutoConfiguration.class))
			.withPropertyValues(this.properties);
	}

	@Test
	void reactiveWebApplicationGetsTheV2RoutesAndTheRegistrySizesItsInferencePool() {
		web().withPropertyValues("model-registry.inference.threads=3").run((context) -> {
			assertThat(context).hasSingleBean(V2InferenceHandler.class).hasBean("v2InferenceRoutes");
			assertThat(TestRegistries.inferenceThreads(context.getBean(ModelRegistry.class))).isEqualTo(3);
		});
	}

	@Test
	void springSecurityFirewallRefusalsAreAnsweredInJsonAndUsersCanReplaceTheHandler() {
		web().run((context) -> assertThat(context).hasSingleBean(ServerExchangeRejectedHandler.class)
			.getBean(ServerExchangeRejectedHandler.class)
			.isInstanceOf(JsonExchangeRejectedHandler.class));
		ServerExchangeRejectedHandler own = (exchange, ex) -> reactor.core.publisher.Mono.empty();
		web().withBean(ServerExchangeRejectedHandler.class, () -> own)
			.run((context) -> assertThat(context.getBean(ServerExchangeRejectedHandler.class)).isSameAs(own));
		web().withClassLoader(new FilteredClassLoader("org.springframework.security"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("modelRegistryRejectedExchanges"));
	}

	@Test
	void anonymousActuatorCallsAreBoundedOnTheApplicationsServerByDefault() {
		web().withPropertyValues("model-registry.web.anonymous-management-calls=3")
			.run((context) -> assertThat(context.getBean(AnonymousManagementCalls.class).availablePermits())
				.isEqualTo(3));
		web().withPropertyValues("model-registry.web.anonymous-management-calls=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("model-registry.web.anonymous-management-calls must be at least 1"));
	}

	@Test
	void v2RoutesCanBeTurnedOff() {
		web().withPropertyValues("model-registry.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(V2InferenceHandler.class)
				.doesNotHaveBean("v2InferenceRoutes"));
	}

	@Test
	void nonWebApplicationGetsNoRoutes() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class,
					ModelRegistryWebAutoConfiguration.class))
			.withPropertyValues(this.properties)
			.run((context) -> assertThat(context).doesNotHaveBean(V2InferenceHandler.class));
	}

	@Test
	void invalidWebLimitsFailWithTheirPropertyName() {
		web().withPropertyValues("model-registry.web.base-path=ml").run((context) -> assertThat(context)
			.hasFailed()
			.getFailure()
			.rootCause()
			.hasMessage("model-registry.web.base-path must be empty or start with '/', was 'ml'"));
	}

	private ApplicationContextRunner actuator() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class,
					ModelRegistryActuatorAutoConfiguration.class))
			.withPropertyValues(this.properties);
	}

	@Test
	void modelsEndpointOnlyWhenExposed() {
		actuator().run((context) -> assertThat(context).doesNotHaveBean(ModelsEndpoint.class));
		actuator().withPropertyValues("management.endpoints.web.exposure.include=models")
			.run((context) -> assertThat(context).hasSingleBean(ModelsEndpoint.class));
	}

	@Test
	void healthContributorHasAComponentPerModel() {
		actuator().run((context) -> {
			CompositeHealthContributor models = context.getBean("modelsHealthContributor",
					CompositeHealthContributor.class);
			Health health = ((HealthIndicator) models.getContributor("scorer")).health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsEntry("version", 1L)
				.containsEntry("strategy", "sharded-rcu")
				.containsEntry("state", "AVAILABLE");
		});
		actuator().withPropertyValues("management.health.models.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("modelsHealthContributor"));
	}

	@Test
	void metricsAreBoundWhenMicrometerIsPresent() {
		actuator().withBean(MeterRegistry.class, SimpleMeterRegistry::new).run((context) -> {
			assertThat(context).hasSingleBean(ModelRegistryMetrics.class);
			MeterRegistry meters = context.getBean(MeterRegistry.class);
			context.getBean(ModelRegistryMetrics.class).bindTo(meters);
			assertThat(meters.get("model.version").tag("model", "scorer").gauge().value()).isEqualTo(1);
			assertThat(meters.get("model.reads.active").tag("strategy", "sharded-rcu").gauge().value()).isZero();
		});
		actuator().withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> assertThat(context).doesNotHaveBean(ModelRegistryMetrics.class));
	}

	@Test
	void tensorPoolIsOnByDefaultWithItsBoundsAndMetrics() {
		actuator().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("model-registry.tensor-pool.max-size=8MB",
					"model-registry.tensor-pool.max-buffer-size=100KB")
			.run((context) -> {
				TensorBufferPool pool = context.getBean(TensorBufferPool.class);
				assertThat(pool.maxBytes()).isEqualTo(8 * 1024 * 1024);
				assertThat(pool.maxBufferBytes()).isEqualTo(128 * 1024);
				MeterRegistry meters = context.getBean(MeterRegistry.class);
				context.getBean(TensorBufferPoolMetrics.class).bindTo(meters);
				pool.acquire(1000).close();
				pool.acquire(1000).close();
				assertThat(meters.get("model.tensor.pool.leases").tag("result", "hit").functionCounter().count())
					.isEqualTo(1);
				assertThat(meters.get("model.tensor.pool.leases").tag("result", "miss").functionCounter().count())
					.isEqualTo(1);
				assertThat(meters.get("model.tensor.pool.memory").tag("state", "idle").gauge().value())
					.isEqualTo(1024);
				assertThat(meters.get("model.tensor.pool.memory").tag("state", "leased").gauge().value()).isZero();
				assertThat(meters.get("model.tensor.pool.leases.open").gauge().value()).isZero();
			});
	}

	@Test
	void tensorPoolCanBeTurnedOff() {
		web().withPropertyValues("model-registry.tensor-pool.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(TensorBufferPool.class).hasSingleBean(V2InferenceHandler.class);
		});
		actuator().withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("model-registry.tensor-pool.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(TensorBufferPoolMetrics.class));
	}

	@Test
	void invalidTensorPoolSizesFailWithTheirPropertyName() {
		web().withPropertyValues("model-registry.tensor-pool.max-buffer-size=10B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("model-registry.tensor-pool.max-buffer-size"));
	}

}
