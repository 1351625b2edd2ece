package io.github.modelregistry.grpc.autoconfigure;

import java.util.Map;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Defaults for Spring Boot's gRPC server that serve an inference server, each one only a default: an
 * application's own value for the property wins.
 * <ul>
 * <li>{@code spring.grpc.server.keepalive.connection.max-idle-time=1m}: a connection with no call for a minute is
 * closed (with a GOAWAY; clients reconnect on their next call), as the REST face's idle time-out does. Without it
 * grpc-java keeps an idle connection forever. A connection that never completes its HTTP/2 handshake is closed by
 * grpc-java itself after 120 s; a call whose request never arrives by {@code model-registry.grpc.message-timeout}.</li>
 * <li>{@code logging.level.io.grpc.netty.NettyServerStream=error}: grpc-java's Netty transport logs a message it
 * cannot deframe (one over {@code spring.grpc.server.inbound.message.max-size}) as a WARN with a stack trace, on
 * purpose (grpc/grpc-java#11645: the status may not reach the client of a stream), although a unary call's client
 * does get {@code RESOURCE_EXHAUSTED} with the sizes. That is a client's fault, which this project never logs above
 * DEBUG.</li>
 * <li>{@code spring.grpc.server.health.service[inference.GRPCInferenceService].include=readinessState,models}: the
 * standard health service ({@code grpc.health.v1.Health}) answers for the inference service by name, as Kubernetes'
 * gRPC probes and load balancers ask, with the application's readiness (not serving once it begins to shut down)
 * and the models' health; without it the check for the service's name is {@code NOT_FOUND}. Applies when Actuator's
 * health is on the class path, as Boot's gRPC health service needs it. With
 * {@code spring.grpc.server.health.schedule.delay=0s} the first report is made at start-up ({@code NOT_SERVING} until
 * the application is ready), not 5 s later, when a probe meanwhile got {@code NOT_FOUND}; with
 * {@code spring.grpc.server.health.schedule.period=1s} a change of readiness reaches the probes within a second, not
 * five (the two contributors read memory).</li>
 * </ul>
 */
final class GrpcServerDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor {

	static final Map<String, Object> DEFAULTS = Map.of("spring.grpc.server.keepalive.connection.max-idle-time", "1m",
			"logging.level.io.grpc.netty.NettyServerStream", "error",
			"spring.grpc.server.health.service[inference.GRPCInferenceService].include", "readinessState,models",
			"spring.grpc.server.health.schedule.delay", "0s", "spring.grpc.server.health.schedule.period", "1s");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		if (ClassUtils.isPresent("io.grpc.netty.NettyServerBuilder", getClass().getClassLoader())) {
			// Last: every other property source, the application's included, comes first
			environment.getPropertySources().addLast(new MapPropertySource("modelRegistryGrpcServerDefaults", DEFAULTS));
		}
	}

}
