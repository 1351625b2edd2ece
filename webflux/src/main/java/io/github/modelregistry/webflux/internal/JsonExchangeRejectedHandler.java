package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.protocol.V2ResponseEncoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

/**
 * Answers a request that Spring Security's firewall rejects (an encoded slash, {@code ..} or {@code %2e%2e} in the
 * path, a disallowed header) as every other refusal of this server is answered: a 400 with a JSON error that says
 * why, and one DEBUG line. Spring Security's own handler answers 400 with an empty body. Picked up by Spring
 * Security's WebFlux configuration as the {@code ServerExchangeRejectedHandler} bean.
 */
public final class JsonExchangeRejectedHandler implements ServerExchangeRejectedHandler {

	private static final Logger logger = LoggerFactory.getLogger(JsonExchangeRejectedHandler.class);

	private final V2ResponseEncoder encoder = new V2ResponseEncoder();

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException rejected) {
		logger.debug("Rejected {} {}: {}", exchange.getRequest().getMethod(), exchange.getRequest().getPath(),
				rejected.getMessage());
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setStatusCode(HttpStatus.BAD_REQUEST);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = this.encoder.error(String.valueOf(rejected.getMessage()));
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

}
