package io.github.modelregistry.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's free-text search over its restaurants, on a real server with the real text model (all-MiniLM-L6-v2
 * behind the tokenizer and pooling, unpacked from its Maven artifact by the build): what it finds, what it refuses,
 * and a reload to a new version of the model, after which the catalogue is compared with vectors of that version.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class SearchApiTests {

	/** The embedding model's folder for this test class: version 1 as the jar ships it, version 2 written later */
	static final Path EMBEDDINGS = folder();

	@Autowired
	WebTestClient client;

	@Autowired
	ModelRegistry registry;

	@DynamicPropertySource
	static void embeddingsFromAFolder(DynamicPropertyRegistry properties) {
		properties.add("model-registry.models.restaurant-embeddings.path", () -> EMBEDDINGS.toUri().toString());
	}

	private static Path folder() {
		try {
			Path folder = Files.createTempDirectory("restaurant-embeddings");
			copyVersion(folder, 1);
			return folder;
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private static void copyVersion(Path folder, long version) throws IOException {
		Path shipped = Path.of("target/classes/models/restaurant-embeddings/1");
		Path target = Files.createDirectories(folder.resolve(Long.toString(version)));
		for (String file : List.of("model.onnx", "tokenizer.json")) {
			Files.copy(shipped.resolve(file), target.resolve(file), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
		}
	}

	private RestaurantSearch.Results search(String query, int limit) {
		return this.client.get()
			.uri((uri) -> uri.path("/api/restaurants/search").queryParam("q", query).queryParam("limit", limit).build())
			.exchange()
			.expectStatus().isOk()
			.expectBody(RestaurantSearch.Results.class)
			.returnResult()
			.getResponseBody();
	}

	@Test
	void findsRestaurantsByWhatTheQueryMeans() {
		RestaurantSearch.Results quiet = search("quiet vegetarian place for a date", 3);
		assertThat(quiet.restaurants()).hasSize(3).isSortedAccordingTo((a, b) -> Float.compare(b.score(), a.score()));
		// The candlelit garden bistro with a vegetarian menu, "ideal for a romantic evening"
		assertThat(quiet.restaurants().get(0).name()).isEqualTo("Jardin Secret");
		RestaurantSearch.Results sport = search("somewhere loud to watch the game with beer", 1);
		assertThat(sport.restaurants().get(0).name()).isEqualTo("Smokehouse Grill");
		RestaurantSearch.Results late = search("food after midnight near the train", 1);
		assertThat(late.restaurants().get(0).name()).isEqualTo("Noodle Bar 88");
	}

	@Test
	void badQueriesGetAJsonError() {
		for (String uri : List.of("/api/restaurants/search", "/api/restaurants/search?q=", "/api/restaurants/search?q="
				+ "a".repeat(501))) {
			this.client.get().uri(uri).exchange().expectStatus().isBadRequest().expectBody()
				.jsonPath("$.error").isEqualTo("Give a query 'q' of 1 to 500 characters")
				.jsonPath("$.trace").doesNotExist();
		}
		this.client.get().uri("/api/restaurants/search?q=pizza&limit=0").exchange().expectStatus().isBadRequest()
			.expectBody().jsonPath("$.error").isEqualTo("'limit' must be between 1 and 20");
	}

	@Test
	void aReloadToANewVersionComparesTheCatalogueWithThatVersionsVectors() throws IOException {
		RestaurantSearch.Results before = search("quiet vegetarian place for a date", 5);
		assertThat(before.modelVersion()).isEqualTo(1);
		copyVersion(EMBEDDINGS, 2);
		try {
			this.registry.reload("restaurant-embeddings");
			RestaurantSearch.Results after = search("quiet vegetarian place for a date", 5);
			assertThat(after.modelVersion()).isEqualTo(2);
			// The same network in both versions: the same answer, computed by version 2 on both sides
			assertThat(after.restaurants()).isEqualTo(before.restaurants());
		}
		finally {
			this.registry.reload("restaurant-embeddings", 1);
		}
	}

}
