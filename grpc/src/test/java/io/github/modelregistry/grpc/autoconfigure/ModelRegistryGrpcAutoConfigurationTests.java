package io.github.modelregistry.grpc.autoconfigure;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import java.nio.file.Path;

import io.github.modelregistry.grpc.internal.GrpcInferenceService;
import io.github.modelregistry.grpc.internal.MessageTimeout;
import io.github.modelregistry.onnx.TestModels;
import io.grpc.BindableService;
import io.grpc.netty.NettyServerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelRegistryGrpcAutoConfiguration}: the service exists when the registry and Spring Boot's
 * gRPC server support do, and is the {@link BindableService} Spring Boot's server configuration waits for.
 */
class ModelRegistryGrpcAutoConfigurationTests {

	@TempDir
	Path base;

	private ApplicationContextRunner runner;

	@BeforeEach
	void writeModels() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		this.runner = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class,
					ModelRegistryGrpcAutoConfiguration.class))
			.withPropertyValues("model-registry.base-path=file:" + this.base, "model-registry.models.scorer.load=eager");
	}

	@Test
	void theRegistryIsServedOverGrpc() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(GrpcInferenceService.class)
			.getBean(BindableService.class)
			.isInstanceOf(GrpcInferenceService.class));
	}

	@Test
	void grpcCanBeTurnedOff() {
		this.runner.withPropertyValues("model-registry.grpc.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpcInferenceService.class));
	}

	@Test
	void withoutSpringBootsGrpcServerThereIsNoService() {
		this.runner.withClassLoader(new FilteredClassLoader("org.springframework.boot.grpc.server"))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcInferenceService.class));
	}

	@Test
	void withoutARegistryThereIsNoService() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ModelRegistryGrpcAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(GrpcInferenceService.class));
	}

	@Test
	void anInvalidElementLimitFailsWithItsPropertyName() {
		this.runner.withPropertyValues("model-registry.grpc.max-elements=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("model-registry.grpc.max-elements must be at least 1"));
	}

	@Test
	void theMessageTimeoutIsAGlobalInterceptorSoThatItBoundsEveryService() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(MessageTimeout.class);
			assertThat(context.getBeansWithAnnotation(GlobalServerInterceptor.class)).containsOnlyKeys(
					"modelRegistryGrpcMessageTimeout");
		});
	}

	@Test
	void connectionLimitsAreAppliedToNettysServerBuilder() {
		this.runner
			.withPropertyValues("model-registry.grpc.max-concurrent-calls-per-connection=7",
					"model-registry.grpc.max-rst-frames=11", "model-registry.grpc.rst-frames-window=3s")
			.run((context) -> {
				assertThat(context).hasBean("modelRegistryGrpcConnectionLimits");
				@SuppressWarnings("unchecked")
				ServerBuilderCustomizer<NettyServerBuilder> limits = context.getBean("modelRegistryGrpcConnectionLimits",
						ServerBuilderCustomizer.class);
				NettyServerBuilder builder = NettyServerBuilder.forPort(0);
				limits.customize(builder);
				assertThat(builder).extracting("maxConcurrentCallsPerConnection").isEqualTo(7);
				assertThat(builder).extracting("maxRstCount").isEqualTo(11);
				assertThat(builder).extracting("maxRstPeriodNanos").isEqualTo(3_000_000_000L);
			});
	}

	@Test
	void withoutGrpcNettyThereAreNoConnectionLimitsAndNoFailure() {
		this.runner.withClassLoader(new FilteredClassLoader("io.grpc.netty"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(GrpcInferenceService.class)
				.doesNotHaveBean("modelRegistryGrpcConnectionLimits"));
	}

	@Test
	void anInvalidTensorLimitFailsWithItsPropertyName() {
		this.runner.withPropertyValues("model-registry.grpc.max-tensors=0")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("model-registry.grpc.max-tensors must be at least 1"));
	}

}
