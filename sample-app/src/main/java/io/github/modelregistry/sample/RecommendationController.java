package io.github.modelregistry.sample;

import java.time.DayOfWeek;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The sample app's own API: ranks candidate restaurants for a user. Written as a user of the starter would write
 * it: the model runs through the injected {@link RecommendationService}, which hands inference to the registry's
 * own pool, so that the event loop stays free.
 */
@RestController
@RequestMapping("/api")
public class RecommendationController {

	private final RecommendationService recommendations;

	private final int maxCandidates;

	public RecommendationController(RecommendationService recommendations,
			@Value("${sample.recommendations.max-candidates:50}") int maxCandidates) {
		this.recommendations = recommendations;
		this.maxCandidates = maxCandidates;
	}

	@PostMapping("/recommendations")
	public Mono<RecommendationResponse> recommend(@RequestBody RecommendationRequest request) {
		if (request.user() == null) {
			return Mono.error(new IllegalArgumentException("Field 'user' is required"));
		}
		List<Restaurant> candidates = (request.candidates() != null) ? request.candidates() : List.of();
		if (candidates.isEmpty() || candidates.size() > this.maxCandidates) {
			return Mono.error(new IllegalArgumentException(
					"Send between 1 and " + this.maxCandidates + " candidates, not " + candidates.size()));
		}
		DiningContext context = (request.context() != null) ? request.context() : now();
		UserProfile user = request.user();
		// Protected by the registry like the V2 API: bulkhead (429), time limit (504) and circuit breaker (503)
		return Mono.fromFuture(() -> this.recommendations.rank(user, candidates, context))
			.map(RecommendationResponse::of);
	}

	private static DiningContext now() {
		LocalDateTime now = LocalDateTime.now();
		DayOfWeek day = now.getDayOfWeek();
		return new DiningContext(now.getHour(), day == DayOfWeek.SATURDAY || day == DayOfWeek.SUNDAY, Map.of());
	}

	/**
	 * A user, the restaurants to rank, and optionally when (defaults to now, with no visit history).
	 */
	public record RecommendationRequest(@Nullable UserProfile user, @Nullable List<Restaurant> candidates,
			@Nullable DiningContext context) {
	}

	/**
	 * The candidates, best first, and the model version that ranked them.
	 */
	public record RecommendationResponse(long modelVersion, List<Recommendation> recommendations) {

		static RecommendationResponse of(RecommendationService.Recommendations ranked) {
			return new RecommendationResponse(ranked.modelVersion(), ranked.restaurants()
				.stream()
				.map((scored) -> new Recommendation(scored.restaurant().id(), scored.restaurant().name(),
						scored.score()))
				.toList());
		}

	}

	/**
	 * One ranked restaurant.
	 */
	public record Recommendation(String id, String name, float score) {
	}

}
