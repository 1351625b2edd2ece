package io.github.modelregistry.webmvc.internal;

import java.time.Duration;

import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.ProtocolHandler;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.apache.catalina.connector.Connector;

/**
 * Tomcat's own limits on a connection, set where the application left Tomcat's defaults: its connection time-out
 * (how long each read of a request's line and headers may wait, and how long a new connection may stay silent;
 * Tomcat's default is a minute) becomes {@code model-registry.web.header-timeout}, and its keep-alive time-out (by
 * default the connection time-out) a minute. Tomcat holds no thread for a connection that waits (its NIO poller
 * watches it), its headers are bounded in size ({@code server.max-http-request-header-size}), and a request body is
 * read by the V2 face without blocking, bounded by {@code model-registry.web.body-timeout}: these two time-outs are
 * what bound the rest.
 */
public final class TomcatConnectionGuards implements TomcatConnectorCustomizer {

	private final @Nullable Duration connectionTimeout;

	private final @Nullable Duration keepAliveTimeout;

	/**
	 * @param connectionTimeout the connection time-out, or {@code null} to leave the application's
	 * @param keepAliveTimeout the keep-alive time-out, or {@code null} to leave the application's
	 */
	public TomcatConnectionGuards(@Nullable Duration connectionTimeout, @Nullable Duration keepAliveTimeout) {
		this.connectionTimeout = connectionTimeout;
		this.keepAliveTimeout = keepAliveTimeout;
	}

	@Override
	public void customize(Connector connector) {
		ProtocolHandler handler = connector.getProtocolHandler();
		if (handler instanceof AbstractProtocol<?> protocol) {
			if (this.connectionTimeout != null) {
				protocol.setConnectionTimeout((int) this.connectionTimeout.toMillis());
			}
			if (this.keepAliveTimeout != null) {
				protocol.setKeepAliveTimeout((int) this.keepAliveTimeout.toMillis());
			}
		}
	}

}
