package io.github.modelregistry.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelRegistry;

import org.springframework.stereotype.Service;

/**
 * Ranks candidate restaurants for a user with the {@value #MODEL} model, whichever strategy holds it.
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
	 */
	public Recommendations rank(UserProfile user, List<Restaurant> candidates, DiningContext context) {
		if (candidates.isEmpty()) {
			return new Recommendations(0, List.of());
		}
		float[] features = new float[candidates.size() * RestaurantFeatures.COUNT];
		for (int i = 0; i < candidates.size(); i++) {
			RestaurantFeatures.encode(user, candidates.get(i), context, features, i * RestaurantFeatures.COUNT);
		}
		Tensor batch = Tensor.ofFloats("features", new long[] { candidates.size(), RestaurantFeatures.COUNT },
				features);
		InferenceResult result = this.registry.infer(MODEL, null, List.of(batch), List.of("score"));
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
