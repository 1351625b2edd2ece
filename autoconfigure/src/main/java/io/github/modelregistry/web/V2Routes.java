package io.github.modelregistry.web;

import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The Open Inference Protocol's REST routes, as functional endpoints.
 */
public final class V2Routes {

	private V2Routes() {
	}

	/**
	 * Routes {@code <basePath>/v2/...} to the handler.
	 * @param basePath a prefix such as {@code /ml}, or empty
	 */
	public static RouterFunction<ServerResponse> routes(V2InferenceHandler handler, String basePath) {
		String prefix = (basePath.endsWith("/")) ? basePath.substring(0, basePath.length() - 1) : basePath;
		return RouterFunctions.route()
			.path(prefix + "/v2", (v2) -> v2.GET("", handler::server)
				.GET("/health/live", handler::live)
				.GET("/health/ready", handler::ready)
				.GET("/models/{name}", handler::metadata)
				.GET("/models/{name}/ready", handler::modelReady)
				.POST("/models/{name}/infer", handler::infer)
				.GET("/models/{name}/versions/{version}", handler::metadata)
				.GET("/models/{name}/versions/{version}/ready", handler::modelReady)
				.POST("/models/{name}/versions/{version}/infer", handler::infer))
			.build();
	}

}
