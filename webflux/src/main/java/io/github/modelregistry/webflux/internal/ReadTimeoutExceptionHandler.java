package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.protocol.V2ResponseEncoder;
import io.netty.handler.timeout.ReadTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebExceptionHandler;

/**
 * Answers a request whose body stopped arriving, on a route of the application's own, as the client's fault it is:
 * a 408 with a JSON error and one DEBUG line. Reactor Netty's read time-out (the bound on an HTTP/2 stream's body,
 * see {@link HttpConnectionGuards}) fails the body with {@link ReadTimeoutException}, which Spring Boot's error
 * handler would answer 500 with an ERROR log. Every other failure goes on to the next handler.
 */
public final class ReadTimeoutExceptionHandler implements WebExceptionHandler {

	private static final Logger logger = LoggerFactory.getLogger(ReadTimeoutExceptionHandler.class);

	private final V2ResponseEncoder encoder = new V2ResponseEncoder();

	@Override
	public Mono<Void> handle(ServerWebExchange exchange, Throwable failure) {
		if (!readTimeout(failure)) {
			return Mono.error(failure);
		}
		logger.debug("Closing {} {}: its body stopped arriving", exchange.getRequest().getMethod(),
				exchange.getRequest().getPath());
		ServerHttpResponse response = exchange.getResponse();
		if (response.isCommitted()) {
			return Mono.empty();
		}
		response.setStatusCode(HttpStatus.REQUEST_TIMEOUT);
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		byte[] body = this.encoder.error("The request body stopped arriving");
		return response.writeWith(Mono.fromSupplier(() -> response.bufferFactory().wrap(body)));
	}

	private static boolean readTimeout(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ReadTimeoutException) {
				return true;
			}
			if (cause.getCause() == cause) {
				return false;
			}
		}
		return false;
	}

}
