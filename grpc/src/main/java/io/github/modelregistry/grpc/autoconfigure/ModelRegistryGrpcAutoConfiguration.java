package io.github.modelregistry.grpc.autoconfigure;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.grpc.internal.GrpcInferenceService;
import io.github.modelregistry.grpc.internal.MessageTimeout;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.grpc.BindableService;
import io.grpc.netty.NettyServerBuilder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.ServerBuilderCustomizer;

/**
 * Auto-configuration of the Open Inference Protocol's gRPC service ({@code inference.GRPCInferenceService}), a face
 * of the {@link ModelRegistry}, on Spring Boot's gRPC server: on when {@code spring-boot-starter-grpc-server} is on
 * the class path. Spring Boot serves every {@link BindableService} bean, on its own port
 * ({@code spring.grpc.server.port}), with its message size limit, health service and observations; its server
 * configuration starts only when such a bean exists, so this one comes first.
 */
@AutoConfiguration(after = ModelRegistryAutoConfiguration.class,
		before = { GrpcServerAutoConfiguration.class, GrpcServerHealthAutoConfiguration.class })
@ConditionalOnClass({ BindableService.class, GrpcServerAutoConfiguration.class,
		com.google.protobuf.GeneratedMessage.class })
@ConditionalOnBean(ModelRegistry.class)
@ConditionalOnBooleanProperty(name = "model-registry.grpc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelRegistryGrpcProperties.class)
public final class ModelRegistryGrpcAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GrpcInferenceService grpcInferenceService(ModelRegistry registry, ModelRegistryGrpcProperties grpc,
			ObjectProvider<TensorBufferPool> tensorBufferPool) {
		return new GrpcInferenceService(registry, grpc.getMaxElements(), grpc.getMaxTensors(),
				tensorBufferPool.getIfAvailable());
	}

	/**
	 * Bounds the time a client may take to send a request, on every service the server hosts (health and
	 * reflection too, not only inference).
	 */
	@Bean
	@GlobalServerInterceptor
	@ConditionalOnMissingBean
	MessageTimeout modelRegistryGrpcMessageTimeout(ModelRegistryGrpcProperties grpc) {
		return new MessageTimeout(grpc.getMessageTimeout());
	}

	/**
	 * Bounds what one connection can hold or make the server do, on grpc-java's Netty server (the one Spring
	 * Boot's gRPC starter brings): its concurrent calls (grpc-java's default is unbounded, and the server then
	 * advertises MAX_CONCURRENT_STREAMS 2,147,483,647) and the streams it may reset (unlimited by default).
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "io.grpc.netty.NettyServerBuilder")
	static class NettyConnectionLimitsConfiguration {

		@Bean
		ServerBuilderCustomizer<NettyServerBuilder> modelRegistryGrpcConnectionLimits(
				ModelRegistryGrpcProperties grpc) {
				return (builder) -> builder.maxConcurrentCallsPerConnection(grpc.getMaxConcurrentCallsPerConnection())
				.maxRstFramesPerWindow(grpc.getMaxRstFrames(), (int) grpc.getRstFramesWindow().toSeconds());
		}

	}

}
