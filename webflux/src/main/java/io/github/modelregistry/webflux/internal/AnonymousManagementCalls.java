package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.autoconfigure.web.AnonymousManagementPermits;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Bounds how many Actuator calls without credentials (no {@code Authorization} header) run at once: beyond the
 * bound, a call is answered 503 with {@code Retry-After: 1} at once, without running. Probes and a Prometheus
 * server call one at a time; a client that loops on scrapes from many connections is what this stops from taking
 * the cores inference needs. Calls with credentials (an operator's reload) are never counted nor refused here.
 * <p>
 * One semaphore, taken without waiting; a permit is given back when the call's exchange completes, however it
 * ends. An exchange is counted once, even when the filter is declared both in the application's context and in
 * the management server's.
 */
public final class AnonymousManagementCalls implements WebFilter {

	private static final String COUNTED = AnonymousManagementCalls.class.getName() + ".counted";

	private final AnonymousManagementPermits permits;

	private final String pathPrefix;

	/**
	 * @param permits how many anonymous calls may run at once
	 * @param pathPrefix the paths counted (Actuator's base path on the application's server), or empty for all
	 * (the management server's own port)
	 */
	public AnonymousManagementCalls(int permits, String pathPrefix) {
		this.permits = new AnonymousManagementPermits(permits);
		this.pathPrefix = pathPrefix;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (exchange.getAttributes().containsKey(COUNTED) || !exchange.getRequest().getPath().value().startsWith(this.pathPrefix)
				|| exchange.getRequest().getHeaders().containsHeader(HttpHeaders.AUTHORIZATION)) {
			return chain.filter(exchange);
		}
		exchange.getAttributes().put(COUNTED, Boolean.TRUE);
		if (!this.permits.tryAcquire()) {
			ServerHttpResponse response = exchange.getResponse();
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, AnonymousManagementPermits.RETRY_AFTER_SECONDS);
			response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
			return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(AnonymousManagementPermits.busyBody())));
		}
		return chain.filter(exchange).doFinally((signal) -> this.permits.release());
	}

	/**
	 * Returns how many anonymous calls could start now.
	 */
	public int availablePermits() {
		return this.permits.availablePermits();
	}

}
