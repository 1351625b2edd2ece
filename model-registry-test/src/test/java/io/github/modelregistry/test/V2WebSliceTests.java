package io.github.modelregistry.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * {@link AutoConfigureModelRegistry} beside {@code @WebFluxTest}: the V2 REST face over a stub, without a server
 * or ONNX Runtime.
 */
@WebFluxTest
@AutoConfigureModelRegistry
class V2WebSliceTests {

	@Autowired
	WebTestClient client;

	@TestConfiguration(proxyBeanMethods = false)
	static class Models {

		@Bean
		StubModel ranker() {
			return StubModels.summingRanker();
		}

	}

	@Test
	void servesTheStubsMetadata() {
		this.client.get().uri("/v2/models/ranker").exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.name").isEqualTo("ranker")
			.jsonPath("$.versions[0]").isEqualTo("3")
			.jsonPath("$.platform").isEqualTo("stub")
			.jsonPath("$.inputs[0].name").isEqualTo("features")
			.jsonPath("$.outputs[1].datatype").isEqualTo("INT64");
	}

	@Test
	void answersAnInferenceRequest() {
		this.client.post().uri("/v2/models/ranker/infer").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("""
					{"inputs": [{"name": "features", "datatype": "FP32", "shape": [2, 4],
					  "data": [1, 1, 1, 1, 2, 2, 2, 2]}],
					 "outputs": [{"name": "score"}]}""")
			.exchange()
			.expectStatus().isOk()
			.expectBody()
			.jsonPath("$.model_version").isEqualTo("3")
			.jsonPath("$.outputs.length()").isEqualTo(1)
			.jsonPath("$.outputs[0].shape").isEqualTo(java.util.List.of(2, 1))
			.jsonPath("$.outputs[0].data").isEqualTo(java.util.List.of(4.0, 8.0));
	}

	@Test
	void refusesARequestThatDoesNotFitTheStubWith400() {
		this.client.post().uri("/v2/models/ranker/infer").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("""
					{"inputs": [{"name": "features", "datatype": "FP32", "shape": [1, 3], "data": [1, 1, 1]}]}""")
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.error").value((String error) -> org.assertj.core.api.Assertions.assertThat(error)
				.contains("features"));
	}

}
