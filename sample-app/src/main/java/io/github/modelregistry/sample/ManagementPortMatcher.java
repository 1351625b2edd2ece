package io.github.modelregistry.sample;

import java.net.InetSocketAddress;

import reactor.core.publisher.Mono;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.web.server.ServerWebExchange;

/**
 * Matches the requests that arrived on the management server's port, so that Spring Security's filter chain runs
 * where something is secured (Actuator) and not on the open inference port, where it cost every request its
 * filters (measured in {@code gatling/results/baseline/baseline.md}) and let any client spend the operator's budget
 * of password checks by sending a wrong {@code Authorization} header.
 * <p>
 * The port is the one the management server really listens on ({@code management.server.port=0} included), learnt
 * when it starts. Until then, and whenever Actuator shares the application's port, every request matches: the
 * chain is never skipped where it might be needed.
 */
final class ManagementPortMatcher implements ServerWebExchangeMatcher, ApplicationListener<WebServerInitializedEvent> {

	/** The namespace of the management server's application context (Spring Boot's, for a separate port). */
	private static final String MANAGEMENT = "management";

	// Built once: both are immutable, and this runs on every request of both ports
	private static final Mono<MatchResult> MATCH = MatchResult.match();

	private static final Mono<MatchResult> NO_MATCH = MatchResult.notMatch();

	/** The management server's port, or -1 until it has started (volatile: set on the starting thread). */
	private volatile int port = -1;

	@Override
	public Mono<MatchResult> matches(ServerWebExchange exchange) {
		int port = this.port;
		InetSocketAddress local = exchange.getRequest().getLocalAddress();
		return (port < 0 || local == null || local.getPort() == port) ? MATCH : NO_MATCH;
	}

	@Override
	public void onApplicationEvent(WebServerInitializedEvent event) {
		if (MANAGEMENT.equals(event.getApplicationContext().getServerNamespace())) {
			this.port = event.getWebServer().getPort();
		}
	}

}
