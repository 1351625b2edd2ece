package io.github.modelregistry.webflux.internal;

import reactor.core.publisher.Mono;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * Lets a write to the {@code models} endpoint come without a body: {@code curl -X POST .../actuator/models/scorer}
 * reloads, as the endpoint's documentation says, instead of a 415 for a body that has no content type. A request to
 * {@code <actuator base path>/models...} with no body and no {@code Content-Type} is read as an empty JSON body;
 * every other exchange is left as it is.
 */
public final class BodilessModelWrites implements WebFilter {

	private final String modelsPath;

	/**
	 * @param actuatorBasePath Actuator's base path on this server ({@code management.endpoints.web.base-path})
	 */
	public BodilessModelWrites(String actuatorBasePath) {
		this.modelsPath = actuatorBasePath + "/models";
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		ServerHttpRequest request = exchange.getRequest();
		HttpHeaders headers = request.getHeaders();
		if (request.getMethod() != HttpMethod.POST || headers.getContentType() != null || headers.getContentLength() > 0
				|| headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)
				|| !request.getPath().pathWithinApplication().value().startsWith(this.modelsPath)) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate()
			.request((json) -> json.headers((each) -> each.setContentType(MediaType.APPLICATION_JSON)))
			.build());
	}

}
