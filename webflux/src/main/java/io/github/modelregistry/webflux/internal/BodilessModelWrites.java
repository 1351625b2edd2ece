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
		// Headers are looked at, never parsed: a Content-Type that is not a media type is the endpoint's to refuse
		if (request.getMethod() != HttpMethod.POST
				|| !request.getPath().pathWithinApplication().value().startsWith(this.modelsPath)
				|| headers.containsHeader(HttpHeaders.CONTENT_TYPE) || headers.containsHeader(HttpHeaders.CONTENT_LENGTH)
						&& !"0".equals(headers.getFirst(HttpHeaders.CONTENT_LENGTH))
				|| headers.containsHeader(HttpHeaders.TRANSFER_ENCODING)) {
			return chain.filter(exchange);
		}
		return chain.filter(exchange.mutate()
			.request((json) -> json.headers((each) -> each.setContentType(MediaType.APPLICATION_JSON)))
			.build());
	}

}
