package io.github.modelregistry.sample;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Free-text search over the restaurant catalogue: {@code GET /api/restaurants/search?q=quiet vegetarian place for a
 * date&limit=3}, answered by the closest descriptions in meaning ({@link RestaurantSearch}).
 */
@RestController
@RequestMapping("/api")
public class SearchController {

	/** Characters a query may have: a sentence, not a document */
	static final int MAX_QUERY = 500;

	/** Restaurants one answer may list */
	static final int MAX_LIMIT = 20;

	private final RestaurantSearch search;

	public SearchController(RestaurantSearch search) {
		this.search = search;
	}

	@GetMapping("/restaurants/search")
	public Mono<RestaurantSearch.Results> search(@RequestParam(name = "q", required = false) @Nullable String query,
			@RequestParam(name = "limit", defaultValue = "5") int limit) {
		if (query == null || query.isBlank() || query.length() > MAX_QUERY) {
			return Mono.error(new IllegalArgumentException(
					"Give a query 'q' of 1 to " + MAX_QUERY + " characters"));
		}
		if (limit < 1 || limit > MAX_LIMIT) {
			return Mono.error(new IllegalArgumentException("'limit' must be between 1 and " + MAX_LIMIT));
		}
		// Protected by the registry like the V2 API: bulkhead (429), time limit (504) and circuit breaker (503)
		return Mono.fromFuture(() -> this.search.search(query, limit));
	}

}
