package io.github.modelregistry.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Keeps a client's oversized gRPC message out of the server's warnings. grpc-java's Netty transport logs a message
 * it cannot deframe (one over {@code spring.grpc.server.inbound.message.max-size}) as a WARN with a stack trace,
 * on purpose (grpc/grpc-java#11645: the status may not reach the client of a stream), although a unary call's
 * client does get {@code RESOURCE_EXHAUSTED} with the sizes. For an inference server that is a client's fault, which
 * this project never logs above DEBUG, so the level of that one logger defaults to ERROR. A default only: an
 * application's own {@code logging.level.io.grpc.netty.NettyServerStream} wins.
 */
final class GrpcLoggingEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final String LOGGER = "logging.level.io.grpc.netty.NettyServerStream";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ClassUtils.isPresent("io.grpc.netty.NettyServerStream", getClass().getClassLoader())) {
			// Last: every other property source, the application's included, comes first
			environment.getPropertySources()
				.addLast(new MapPropertySource("modelRegistryGrpcLogging", Map.of(LOGGER, "error")));
		}
	}

}
