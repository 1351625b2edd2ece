package io.github.modelregistry.autoconfigure;

import java.nio.file.Path;

import io.github.modelregistry.grpc.GrpcInferenceService;
import io.github.modelregistry.onnx.TestModels;
import io.grpc.BindableService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

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

}
