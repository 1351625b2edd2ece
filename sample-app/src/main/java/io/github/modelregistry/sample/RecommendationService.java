package io.github.modelregistry.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;

import org.springframework.stereotype.Service;

/**
 * Ranks candidate restaurants for a user with the {@value #MODEL} model, whichever strategy holds it. Written as a
 * user of the starter would write it: features are encoded here, the model runs on the registry's inference pool
 * under the model's protection ({@link ModelRegistry#inferAsync}), and the scores are sorted when they arrive. Only
 * the model's own work is protected: a bug in this class never counts against the model's circuit breaker.
 */
@Service
public class RecommendationService {

	/** The name the ranking model is registered under. */
	public static final String MODEL = "restaurant-ranker";

	private final ModelRegistry registry;

	public RecommendationService(ModelRegistry registry) {
		this.registry = registry;
	}

	/**
	 * Scores every candidate in one batch and returns them best first.
	 * @throws IllegalArgumentException if a candidate has no id
	 */
	public CompletableFuture<Recommendations> rank(UserProfile user, List<Restaurant> candidates,
			DiningContext context) {
		if (candidates.isEmpty()) {
			return CompletableFuture.completedFuture(new Recommendations(0, List.of()));
		}
		float[] features = new float[candidates.size() * RestaurantFeatures.COUNT];
		for (int i = 0; i < candidates.size(); i++) {
			Restaurant candidate = candidates.get(i);
			if (candidate == null || candidate.id() == null) {
				throw new IllegalArgumentException("Candidate " + i + " has no id");
			}
			RestaurantFeatures.encode(user, candidate, context, features, i * RestaurantFeatures.COUNT);
		}
		Tensor batch = Tensor.ofFloats("features", new long[] { candidates.size(), RestaurantFeatures.COUNT },
				features);
		return this.registry.inferAsync(MODEL, null, List.of(batch), List.of("score"))
			.thenApply((result) -> ranked(candidates, result));
	}

	private static Recommendations ranked(List<Restaurant> candidates, InferenceResult result) {
		float[] scores = result.outputs().get(0).floats();
		List<ScoredRestaurant> ranked = new ArrayList<>(candidates.size());
		for (int i = 0; i < candidates.size(); i++) {
			ranked.add(new ScoredRestaurant(candidates.get(i), scores[i]));
		}
		ranked.sort(Comparator.comparingDouble(ScoredRestaurant::score).reversed());
		return new Recommendations(result.version(), ranked);
	}

	/**
	 * Ranked restaurants and the model version that ranked them.
	 *
	 * @param modelVersion the model version
	 * @param restaurants best first
	 */
	public record Recommendations(long modelVersion, List<ScoredRestaurant> restaurants) {

	}

}
