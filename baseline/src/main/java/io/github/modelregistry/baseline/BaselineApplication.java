package io.github.modelregistry.baseline;

import java.io.IOException;
import java.util.Map;

import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.Resource;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The baseline the benchmarks compare the sample app with: what a Spring team could write in an afternoon to serve
 * the same model, with nothing the starter adds (no registry, no reloads, no bulkhead, time limiter or circuit
 * breaker, no metrics, no Spring Security, no Actuator, no limits on what a client sends).
 * <ul>
 * <li>{@code GET /live} answers {@code {"live":true}}: the stack's trivial route.</li>
 * <li>{@code POST /infer} takes the V2 JSON body the sample's {@code /v2/models/restaurant-ranker/infer} takes,
 * binds it with Jackson into records, runs it on one {@code OrtSession} on Reactor's parallel scheduler and answers
 * the V2-shaped outputs ({@link NaiveModel}).</li>
 * <li>{@code POST /infer-lean} is the leaner variant: the same request with flat row-major data, bound into a
 * {@code float[]} and wrapped into the tensor as it is.</li>
 * </ul>
 * On WebFlux (the default) the inference runs on Reactor's parallel scheduler; on Spring MVC
 * ({@code --spring.main.web-application-type=servlet}, Tomcat) it is an annotated controller that binds the same
 * records and runs the model on Tomcat's request thread, as a team would write it there.
 * <p>
 * It is a measuring stick, not an example: nothing here should be copied into a service.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class BaselineApplication {

	private static final Map<String, Boolean> LIVE = Map.of("live", true);

	public static void main(String[] args) {
		SpringApplication.run(BaselineApplication.class, args);
	}

	@Bean
	NaiveModel naiveModel(@Value("${baseline.model}") Resource model) throws IOException {
		return new NaiveModel(model.getContentAsByteArray());
	}

	@Bean
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	RouterFunction<ServerResponse> routes(NaiveModel model) {
		return RouterFunctions.route()
			.GET("/live", (request) -> ServerResponse.ok().bodyValue(LIVE))
			.POST("/infer", (request) -> request.bodyToMono(NaiveModel.InferRequest.class)
				.publishOn(Schedulers.parallel())
				.map(model::infer)
				.flatMap((response) -> ServerResponse.ok().bodyValue(response)))
			.POST("/infer-lean", (request) -> request.bodyToMono(NaiveModel.FlatInferRequest.class)
				.publishOn(Schedulers.parallel())
				.map(model::infer)
				.flatMap((response) -> ServerResponse.ok().bodyValue(response)))
			.build();
	}

	/**
	 * The same endpoints as a bare Spring MVC controller (found by component scanning, as a team's would be).
	 */
	@RestController
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	static class MvcRoutes {

		private final NaiveModel model;

		MvcRoutes(NaiveModel model) {
			this.model = model;
		}

		@GetMapping("/live")
		Map<String, Boolean> live() {
			return LIVE;
		}

		@PostMapping("/infer")
		NaiveModel.InferResponse infer(@RequestBody NaiveModel.InferRequest request) {
			return this.model.infer(request);
		}

		@PostMapping("/infer-lean")
		NaiveModel.InferResponse inferLean(@RequestBody NaiveModel.FlatInferRequest request) {
			return this.model.infer(request);
		}

	}

}
