package io.github.modelregistry.webflux.internal;

import java.time.Duration;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.registry.BehavingModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.TestRegistries;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

/**
 * What the V2 face answers while the server shuts down: once the server has begun to (bodies are no longer waited
 * for), a 503 also closes its connection, so that a kept-alive client takes its next request elsewhere; before,
 * the same 503 keeps the connection.
 */
class ShutdownAnswersTests {

	private static final String VALID = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
			+ "\"data\":[1,2,3,4]}]}";

	@Test
	void aServiceUnavailableAnswerClosesItsConnectionOnceTheServerShutsDown() {
		ModelRegistry registry = ModelRegistry.builder()
			.model(TestRegistries.definition(HostileClientTests.BASE, "scorer", null, HolderStrategy.SHARDED_RCU,
					LoadMode.EAGER))
			.modelLoader(BehavingModels.onnx())
			.build();
		registry.start();
		V2InferenceHandler handler = new V2InferenceHandler(registry, 1 << 20, Duration.ofSeconds(5), 100_000, null);
		WebTestClient client = WebTestClient.bindToRouterFunction(V2Routes.routes(handler, "")).build();
		infer(client).expectStatus().isOk().expectHeader().doesNotExist(HttpHeaders.CONNECTION);
		registry.close();
		// Closed, but the server is not shutting down: the 503 keeps the connection
		infer(client).expectStatus().isEqualTo(503).expectHeader().doesNotExist(HttpHeaders.CONNECTION);
		handler.stopReadingBodies();
		infer(client).expectStatus().isEqualTo(503).expectHeader().valueEquals(HttpHeaders.CONNECTION, "close");
	}

	private static WebTestClient.ResponseSpec infer(WebTestClient client) {
		return client.post()
			.uri("/v2/models/scorer/infer")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(VALID)
			.exchange();
	}

}
