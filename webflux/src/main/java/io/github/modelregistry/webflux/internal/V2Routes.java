package io.github.modelregistry.webflux.internal;

import org.springframework.http.HttpMethod;
import org.springframework.web.reactive.function.server.RequestPredicate;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.server.ServerWebExchange;

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
		String v2 = ((basePath.endsWith("/")) ? basePath.substring(0, basePath.length() - 1) : basePath) + "/v2";
		// Never on the management server: its context finds this bean through its parent, and would otherwise serve
		// inference on the port that probes and operators use (one predicate for all the routes, checked once)
		return RouterFunctions.nest(NOT_MANAGEMENT, inferenceRoutes(handler, v2));
	}

	/**
	 * Marks an exchange as one the management server handles: the V2 inference routes answer none of them.
	 * @param exchange an exchange on the management server
	 */
	public static void markManagement(ServerWebExchange exchange) {
		exchange.getAttributes().put(MANAGEMENT, Boolean.TRUE);
	}

	private static final String MANAGEMENT = V2Routes.class.getName() + ".management";

	private static final RequestPredicate NOT_MANAGEMENT = (request) -> request.attribute(MANAGEMENT).isEmpty();

	private static RouterFunction<ServerResponse> inferenceRoutes(V2InferenceHandler handler, String v2) {
		// Whole paths, not nested under path(v2): a nested route merges its parent's pattern with its own on every
		// request it matches (PathPattern.combine parsed a pattern per request, 2 % of the saturated app's samples)
		return RouterFunctions.route()
			.route(GET_OR_HEAD.and(RequestPredicates.path(v2)), handler::server)
			.route(GET_OR_HEAD.and(RequestPredicates.path(v2 + "/health/live")), handler::live)
			.route(GET_OR_HEAD.and(RequestPredicates.path(v2 + "/health/ready")), handler::ready)
			.POST(v2 + "/models/{name}/infer", handler::infer)
			.route(GET_OR_HEAD.and(RequestPredicates.path(v2 + "/models/{name}")), handler::metadata)
			.route(GET_OR_HEAD.and(RequestPredicates.path(v2 + "/models/{name}/ready")), handler::modelReady)
			.POST(v2 + "/models/{name}/versions/{version}/infer", handler::infer)
			.route(GET_OR_HEAD.and(RequestPredicates.path(v2 + "/models/{name}/versions/{version}")), handler::metadata)
			.route(GET_OR_HEAD.and(RequestPredicates.path(v2 + "/models/{name}/versions/{version}/ready")),
					handler::modelReady)
			.build();
	}

	/**
	 * Routes the repository extension, {@code /v2/repository/...}, to its handler: served on the management server.
	 */
	public static RouterFunction<ServerResponse> repositoryRoutes(V2RepositoryHandler handler) {
		return RouterFunctions.route()
			.POST("/v2/repository/index", handler::index)
			.POST("/v2/repository/models/{name}/load", handler::load)
			.POST("/v2/repository/models/{name}/unload", handler::unload)
			.build();
	}

}
