package io.github.modelregistry.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.modelregistry.registry.DoublingModel;
import io.github.modelregistry.registry.ModelAlreadyRegisteredException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.registry.ModelOverloadedException;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.ModelUnavailableException;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registry's exceptions in an application's own controller, as each web stack must answer them: RFC 9457 problem
 * details with the V2 face's statuses, {@code Retry-After} where waiting helps, no stack trace sent or logged, and
 * the application's own handlers first. A face's test extends this one with a {@code @SpringBootTest} on a real
 * server whose application imports {@link Application}; the controller is an annotated one, which both stacks run.
 */
public abstract class ProblemDetailsConformanceTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		root().addAppender(this.logs);
	}

	@AfterEach
	void stopCapturing() {
		root().detachAppender(this.logs);
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	@Test
	void anUnknownModelIsA404ProblemWithoutAStackTrace() throws Exception {
		HttpResponse<String> response = get("/scores/nope");
		assertThat(response.statusCode()).isEqualTo(404);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
		JsonNode problem = JSON.readTree(response.body());
		assertThat(problem.path("status").asInt()).isEqualTo(404);
		assertThat(problem.path("title").asString()).isEqualTo("Not Found");
		assertThat(problem.path("detail").asString()).contains("Unknown model 'nope'");
		assertThat(problem.path("instance").asString()).isEqualTo("/scores/nope");
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
		assertThat(this.logs.list).noneMatch((event) -> event.getLevel().isGreaterOrEqual(Level.WARN));
	}

	@Test
	void aServedModelAnswersThroughTheSameController() throws Exception {
		HttpResponse<String> response = get("/scores/doubling");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("[2.0,4.0]");
	}

	@Test
	void overloadIsA429WithRetryAfter() throws Exception {
		HttpResponse<String> response = get("/overloaded");
		assertThat(response.statusCode()).isEqualTo(429);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("2");
		assertThat(JSON.readTree(response.body()).path("detail").asString()).isEqualTo("Model 'm' is busy");
	}

	@Test
	void aModelRegisteredAlreadyIsA409() throws Exception {
		HttpResponse<String> response = get("/registered");
		assertThat(response.statusCode()).isEqualTo(409);
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
	}

	@Test
	void theControllersOwnHandlerComesFirst() throws Exception {
		HttpResponse<String> response = get("/own/nope");
		assertThat(response.statusCode()).isEqualTo(418);
		assertThat(response.body()).startsWith("the controller's own: Unknown model 'nope'");
	}

	@Test
	void theApplicationsOwnAdviceComesFirst() throws Exception {
		HttpResponse<String> response = get("/unavailable");
		assertThat(response.statusCode()).isEqualTo(502);
		assertThat(response.body()).isEqualTo("the application's advice: Model 'm' is not available");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + path))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	/**
	 * The application's controller and advice, and a model it serves.
	 * A plain class a face's test imports, not a {@code @Configuration}: the test framework would take a nested
	 * one for the default configuration of every subclass.
	 */
	@Import({ ScoresController.class, OwnHandlerController.class, ApplicationAdvice.class })
	public static class Application {

		@Bean
		ModelRegistryCustomizer doublingModel() {
			return (builder) -> builder.model(new DoublingModel("doubling", 1));
		}

	}

	@RestController
	static class ScoresController {

		private final ModelRegistry registry;

		ScoresController(ModelRegistry registry) {
			this.registry = registry;
		}

		@GetMapping("/scores/{model}")
		float[] scores(@PathVariable String model) {
			Tensor input = Tensor.ofFloats("x", new long[] { 2 }, 1, 2);
			return this.registry.infer(model, null, List.of(input), List.of()).outputs().get(0).floats();
		}

		@GetMapping("/overloaded")
		String overloaded() {
			throw new ModelOverloadedException("Model 'm' is busy", Duration.ofSeconds(2));
		}

		@GetMapping("/registered")
		String registered() {
			throw new ModelAlreadyRegisteredException("m");
		}

		@GetMapping("/unavailable")
		String unavailable() {
			throw new ModelUnavailableException("Model 'm' is not available", (Throwable) null);
		}

	}

	@RestController
	static class OwnHandlerController {

		private final ModelRegistry registry;

		OwnHandlerController(ModelRegistry registry) {
			this.registry = registry;
		}

		@GetMapping("/own/{model}")
		float[] scores(@PathVariable String model) {
			return this.registry.infer(model, null, List.of(Tensor.ofFloats("x", new long[] { 1 }, 1)), List.of())
				.outputs()
				.get(0)
				.floats();
		}

		@ExceptionHandler(ModelNotFoundException.class)
		ResponseEntity<String> notFound(ModelNotFoundException failure) {
			return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).body("the controller's own: " + failure.getMessage());
		}

	}

	@RestControllerAdvice
	static class ApplicationAdvice {

		@ExceptionHandler(ModelUnavailableException.class)
		ResponseEntity<String> unavailable(ModelUnavailableException failure) {
			return ResponseEntity.status(HttpStatus.BAD_GATEWAY).body("the application's advice: " + failure.getMessage());
		}

	}

}
