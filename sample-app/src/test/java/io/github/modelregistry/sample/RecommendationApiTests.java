package io.github.modelregistry.sample;

import java.util.List;
import java.util.Map;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

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
class RecommendationApiTests {

	@Autowired
	WebTestClient client;

	@Autowired
	CircuitBreakerRegistry circuitBreakers;

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

	@Test
	void hostileRequestsGetErrorsWithoutJavaNamesOrNullPointerTexts() {
		JsonMapper json = JsonMapper.builder().build();
		Map<String, Object> diner = json.convertValue(Diners.vegetarianWhoLovesIndian(), Map.class);
		Map<String, Object> restaurant = json.convertValue(Diners.tenCandidates().get(0), Map.class);
		restaurant.put("id", "r1");
		String user = json.writeValueAsString(diner);
		String candidate = json.writeValueAsString(restaurant);
		java.util.function.BiFunction<Map<String, Object>, Map<String, Object>, String> with = (base, changes) -> {
			Map<String, Object> changed = new java.util.HashMap<>(base);
			changes.forEach((key, value) -> {
				if (value == null) {
					changed.remove(key);
				}
				else {
					changed.put(key, value);
				}
			});
			return json.writeValueAsString(changed);
		};
		java.util.Map<String, Object> noId = new java.util.HashMap<>();
		noId.put("id", null);
		java.util.Map<String, Object> noCuisine = new java.util.HashMap<>();
		noCuisine.put("cuisine", null);
		Map<String, String> answers = new java.util.LinkedHashMap<>();
		answers.put("{\"user\":" + with.apply(diner, noId) + ",\"candidates\":[" + candidate + "]}",
				"The user needs an 'id'");
		answers.put("{\"user\":" + user + ",\"candidates\":[" + with.apply(restaurant, noCuisine) + "]}",
				"Candidate 'r1' needs a 'cuisine'");
		answers.put("{\"user\":" + user + ",\"candidates\":[" + with.apply(restaurant, noId) + "]}",
				"Every candidate needs an 'id'");
		answers.put("{\"user\":" + user + ",\"candidates\":[" + with.apply(restaurant, Map.of("cuisine", "KLINGON"))
				+ "]}", "KLINGON");
		answers.put("{\"user\":" + with.apply(diner, Map.of("cuisineAffinity", Map.of("KLINGON", 1))) + ",\"candidates\":["
				+ candidate + "]}", "KLINGON");
		answers.put("{\"user\":" + with.apply(diner, Map.of("budget", "abc")) + ",\"candidates\":[" + candidate + "]}",
				"at 'user.budget'");
		answers.put("{\"user\":" + with.apply(diner, Map.of("cuisineAffinity", "x")) + ",\"candidates\":[" + candidate
				+ "]}", "at 'user.cuisineAffinity'");
		answers.put("{\"user\":" + user + ",\"candidates\":[" + candidate + "],\"context\":{\"hourOfDay\":99,\"weekend\":false}}",
				"'hourOfDay' must be 0 to 23, not 99");
		answers.put("{\"user\":" + user + ",\"candidates\":[" + candidate
				+ "],\"context\":{\"hourOfDay\":9,\"weekend\":false,\"pastVisits\":{\"r1\":null}}}", "'pastVisits'");
		answers.put("{\"user\":" + user + ",\"candidates\":{}}", "at 'candidates'");
		answers.put("{\"user\":" + with.apply(diner, Map.of("budget", "")) + ",\"candidates\":[" + candidate + "]}",
				"at 'user.budget'");
		answers.put("{\"user\":" + user + ",\"candidates\":[" + candidate + "],\"context\":{\"hourOfDay\":9}}",
				"at 'context.weekend': is missing or null (a boolean is required)");
		answers.forEach((body, error) -> this.client.post()
			.uri("/api/recommendations")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus().isBadRequest()
			.expectBody()
			.jsonPath("$.error").value(String.class, (text) -> {
				assertThat(text).as(body).doesNotContain("io.github").doesNotContain("java.").doesNotContain("Exception");
				if (error != null) {
					assertThat(text).as(body).contains(error);
				}
			}));
	}

	private void expectError(Object body, String error) {
		this.client.post().uri("/api/recommendations").contentType(MediaType.APPLICATION_JSON).bodyValue(body)
			.exchange().expectStatus().isBadRequest().expectBody().jsonPath("$.error").isEqualTo(error);
	}

	@Test
	void aCallersBugNeverOpensTheModelsCircuit() {
		CircuitBreaker breaker = this.circuitBreakers.circuitBreaker(RecommendationService.MODEL);
		breaker.reset();
		List<Restaurant> candidates = new java.util.ArrayList<>(Diners.tenCandidates());
		// A null candidate reaches the sample's own feature code: a bug of the caller, not the model's
		candidates.set(3, null);
		for (int i = 0; i < 10; i++) {
			expectError(request(candidates), "Candidate 3 has no id");
		}
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		assertThat(breaker.getMetrics().getNumberOfFailedCalls()).isZero();
		this.client.post()
			.uri("/api/recommendations")
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(request(Diners.tenCandidates()))
			.exchange()
			.expectStatus()
			.isOk();
		assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
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
