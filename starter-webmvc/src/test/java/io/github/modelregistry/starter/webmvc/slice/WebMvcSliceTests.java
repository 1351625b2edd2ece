package io.github.modelregistry.starter.webmvc.slice;

import java.util.List;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.test.AutoConfigureModelRegistry;
import io.github.modelregistry.test.StubModel;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A service's own controller tested as Spring MVC services test theirs, with {@code @WebMvcTest} and MockMvc, over a
 * stub model: {@code @AutoConfigureModelRegistry} gives the slice the registry and the registry's problem details.
 */
@WebMvcTest(controllers = ScoreController.class,
		properties = { "spring.security.user.name=operator", "spring.security.user.password=secret" })
@AutoConfigureModelRegistry
@Import({ ScoreController.class, WebMvcSliceTests.Stubs.class })
class WebMvcSliceTests {

	/** Boot's security defaults are on the class path: the slice's requests carry the operator's credentials. */
	private static final String OPERATOR = "Basic "
			+ java.util.Base64.getEncoder().encodeToString("operator:secret".getBytes(java.nio.charset.StandardCharsets.UTF_8));

	@Autowired
	MockMvc mvc;

	@Test
	void theControllerScoresWithTheStub() throws Exception {
		this.mvc.perform(get("/score/scorer").header("Authorization", OPERATOR)).andExpect(status().isOk()).andExpect(content().json("[0.5]"));
	}

	@Test
	void anUnknownModelIsA404Problem() throws Exception {
		this.mvc.perform(get("/score/nope").header("Authorization", OPERATOR))
			.andExpect(status().isNotFound())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
			.andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("Unknown model 'nope'")));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Stubs {

		@Bean
		StubModel scorer() {
			StubModel.Spec spec = StubModel.spec("scorer")
				.input("features", TensorDatatype.FP32, -1, 4)
				.output("score", TensorDatatype.FP32, -1, 1);
			return StubModel.of(spec, (inputs) -> List.of(Tensor.ofFloats("score", new long[] { 1, 1 }, 0.5f)));
		}

	}

}

/**
 * The service's application class, which a slice finds by its package.
 */
@org.springframework.boot.SpringBootConfiguration
@org.springframework.boot.autoconfigure.EnableAutoConfiguration
class SliceApplication {

}

@RestController
class ScoreController {

	private final ModelRegistry registry;

	ScoreController(ModelRegistry registry) {
		this.registry = registry;
	}

	@GetMapping("/score/{model}")
	float[] score(@PathVariable String model) {
		return this.registry.infer(model, Tensor.of("features", new float[][] { { 1, 2, 3, 4 } })).output("score")
			.floats();
	}

}
