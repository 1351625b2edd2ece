package io.github.modelregistry.grpc.autoconfigure;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GrpcServerDefaultsEnvironmentPostProcessor}: defaults for the gRPC server, below every value an
 * application sets.
 */
class GrpcServerDefaultsEnvironmentPostProcessorTests {

	private final GrpcServerDefaultsEnvironmentPostProcessor postProcessor = new GrpcServerDefaultsEnvironmentPostProcessor();

	@Test
	void idleConnectionsCloseAfterAMinuteAndOversizedMessagesAreNotWarnings() {
		StandardEnvironment environment = new StandardEnvironment();
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(Binder.get(environment).bind("spring.grpc.server.keepalive.connection.max-idle-time", Duration.class).get())
			.isEqualTo(Duration.ofMinutes(1));
		assertThat(environment.getProperty("logging.level.io.grpc.netty.NettyServerStream")).isEqualTo("error");
	}

	@Test
	void anApplicationsOwnValuesWin() {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.addFirst(new MapPropertySource("application",
					Map.of("spring.grpc.server.keepalive.connection.max-idle-time", "10m",
							"logging.level.io.grpc.netty.NettyServerStream", "warn")));
		this.postProcessor.postProcessEnvironment(environment, new SpringApplication());
		assertThat(Binder.get(environment).bind("spring.grpc.server.keepalive.connection.max-idle-time", Duration.class).get())
			.isEqualTo(Duration.ofMinutes(10));
		assertThat(environment.getProperty("logging.level.io.grpc.netty.NettyServerStream")).isEqualTo("warn");
	}

}
