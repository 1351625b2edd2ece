package io.github.modelregistry.web;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The Open Inference Protocol's REST routes, as functional endpoints.
 */
public final class V2Routes {

	/**
	 * GET, and HEAD as HTTP says (the same answer without its body, which WebFlux drops for HEAD): load balancers
	 * and probes often ask with HEAD.
	 */
	private static final RequestPredicate GET_OR_HEAD = RequestPredicates.method(HttpMethod.GET)
		.or(RequestPredicates.method(HttpMethod.HEAD));

	private V2Routes() {
	}

	/**
	 * Routes {@code <basePath>/v2/...} to the handler.
	 * @param basePath a prefix such as {@code /ml}, or empty
	 */
	public static RouterFunction<ServerResponse> routes(V2InferenceHandler handler, String basePath) {
		String prefix = (basePath.endsWith("/")) ? basePath.substring(0, basePath.length() - 1) : basePath;
		return RouterFunctions.route()
			.path(prefix + "/v2", (v2) -> v2.route(GET_OR_HEAD.and(RequestPredicates.path("")), handler::server)
				.route(GET_OR_HEAD.and(RequestPredicates.path("/health/live")), handler::live)
				.route(GET_OR_HEAD.and(RequestPredicates.path("/health/ready")), handler::ready)
				.route(GET_OR_HEAD.and(RequestPredicates.path("/models/{name}")), handler::metadata)
				.route(GET_OR_HEAD.and(RequestPredicates.path("/models/{name}/ready")), handler::modelReady)
				.POST("/models/{name}/infer", handler::infer)
				.route(GET_OR_HEAD.and(RequestPredicates.path("/models/{name}/versions/{version}")), handler::metadata)
				.route(GET_OR_HEAD.and(RequestPredicates.path("/models/{name}/versions/{version}/ready")),
						handler::modelReady)
				.POST("/models/{name}/versions/{version}/infer", handler::infer))
			.build();
	}

}
