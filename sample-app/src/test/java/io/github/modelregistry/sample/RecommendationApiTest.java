package io.github.modelregistry.sample;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's recommendation API and the V2 API it gets from the starter, on a real server.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "sample.recommendations.max-candidates=12")
@AutoConfigureWebTestClient
class RecommendationApiTest {

	@Autowired
	WebTestClient client;

	private Map<String, Object> request(List<Restaurant> candidates) {
		return Map.of("user", Diners.vegetarianWhoLovesIndian(), "candidates", candidates, "context",
				Diners.dinner());
	}

	@Test
	void ranksCandidatesBestFirst() {
		RecommendationController.RecommendationResponse response = this.client.post()
			.uri("/api/recommendations")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request(Diners.tenCandidates()))
			.exchange()
			.expectStatus().isOk()
			.expectBody(RecommendationController.RecommendationResponse.class)
			.returnResult()
			.getResponseBody();
		assertThat(response.modelVersion()).isEqualTo(2);
		assertThat(response.recommendations()).hasSize(10)
			.isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
		assertThat(response.recommendations()).allSatisfy((r) -> assertThat(r.score()).isBetween(0f, 1f));
	}

	@Test
	void aRequestWithoutContextUsesTheCurrentTime() {
		this.client.post().uri("/api/recommendations").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(Map.of("user", Diners.vegetarianWhoLovesIndian(), "candidates", Diners.tenCandidates()))
			.exchange().expectStatus().isOk().expectBody().jsonPath("$.recommendations.length()").isEqualTo(10);
	}

	@Test
	void badRequestsGetAJsonError() {
		List<Restaurant> many = new java.util.ArrayList<>(Diners.tenCandidates());
		many.addAll(Diners.tenCandidates());
		expectError(request(many), "Send between 1 and 12 candidates, not 20");
		expectError(request(List.of()), "Send between 1 and 12 candidates, not 0");
		expectError(Map.of("candidates", Diners.tenCandidates()), "Field 'user' is required");
		this.client.post().uri("/api/recommendations").contentType(MediaType.APPLICATION_JSON)
			.bodyValue("{\"user\": ").exchange().expectStatus().isBadRequest().expectBody()
			.jsonPath("$.error").value(String.class, (error) -> assertThat(error).startsWith("Malformed request"))
			.jsonPath("$.trace").doesNotExist();
	}

	private void expectError(Object body, String error) {
		this.client.post().uri("/api/recommendations").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo(error);
	}

	@Test
	void theReadmeExampleRequestsWork() throws Exception {
		// The files the README's curl commands send
		this.client.post().uri("/v2/models/restaurant-ranker/infer").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(java.nio.file.Files.readString(java.nio.file.Path.of("requests/infer.json")))
			.exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.id").isEqualTo("ranking-1")
			.jsonPath("$.outputs[0].shape").isEqualTo(List.of(2, 1));
		this.client.post().uri("/api/recommendations").contentType(MediaType.APPLICATION_JSON)
			.bodyValue(java.nio.file.Files.readString(java.nio.file.Path.of("requests/recommendations.json")))
			.exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.recommendations[0].id").isEqualTo("r1")
			.jsonPath("$.recommendations[1].id").isEqualTo("r2");
	}

	@Test
	void theV2ApiServesTheSameModel() {
		this.client.get().uri("/v2/models/restaurant-ranker").exchange().expectStatus().isOk().expectBody()
			.jsonPath("$.inputs[0].shape").isEqualTo(List.of(-1, 40));
		this.client.get().uri("/v2/health/ready").exchange().expectStatus().isOk();
	}

}
