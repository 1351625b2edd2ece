package io.github.modelregistry.grpc.internal;

import org.springframework.context.ApplicationListener;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;

/**
 * The port a test's gRPC server listens on (with {@code spring.grpc.server.port=0}, a random one), from Spring
 * gRPC's event: declare it as a bean and inject it.
 */
public final class GrpcServerPort implements ApplicationListener<GrpcServerStartedEvent> {

	private volatile int port;

	@Override
	public void onApplicationEvent(GrpcServerStartedEvent event) {
		this.port = event.getPort();
	}

	public int port() {
		return this.port;
	}

}
