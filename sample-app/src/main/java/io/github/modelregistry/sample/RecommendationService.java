package io.github.modelregistry.sample;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.Predictor;
import io.github.modelregistry.registry.Translator;
import io.github.modelregistry.tensor.Tensor;

import org.springframework.stereotype.Service;

/**
 * Ranks candidate restaurants for a user with the {@value #MODEL} model, whichever strategy holds it. Written as a
 * user of the starter would write it: the model is a {@link Predictor} in the service's own types (a {@link Ranking}
 * in, {@link Recommendations} out), whose {@link RankingTranslator} encodes the features and sorts the candidates by
 * their scores; it runs on the registry's inference pool under the model's protection. Only the model's own work is
 * protected: a bug in this class never counts against the model's circuit breaker.
 */
@Service
public class RecommendationService {

	/** The name the ranking model is registered under. */
	public static final String MODEL = "restaurant-ranker";

	private final Predictor<Ranking, Recommendations> ranker;

	public RecommendationService(ModelRegistry registry) {
		this.ranker = registry.predictor(MODEL, new RankingTranslator());
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
		for (int i = 0; i < candidates.size(); i++) {
			Restaurant candidate = candidates.get(i);
			if (candidate == null || candidate.id() == null) {
				throw new IllegalArgumentException("Candidate " + i + " has no id");
			}
		}
		return this.ranker.predictAsync(new Ranking(user, candidates, context));
	}

	/**
	 * One ranking: what the service gives the model.
	 *
	 * @param user who is choosing
	 * @param candidates the restaurants to rank, each with an id
	 * @param context when and where
	 */
	public record Ranking(UserProfile user, List<Restaurant> candidates, DiningContext context) {

	}

	/**
	 * Between a {@link Ranking} and the model's tensors: one row of features per candidate in, the candidates sorted
	 * by their scores out.
	 */
	static final class RankingTranslator implements Translator<Ranking, Recommendations> {

		@Override
		public List<Tensor> inputs(Ranking ranking) {
			List<Restaurant> candidates = ranking.candidates();
			float[] features = new float[candidates.size() * RestaurantFeatures.COUNT];
			for (int i = 0; i < candidates.size(); i++) {
				RestaurantFeatures.encode(ranking.user(), candidates.get(i), ranking.context(), features,
						i * RestaurantFeatures.COUNT);
			}
			return List.of(Tensor.ofFloats("features", new long[] { candidates.size(), RestaurantFeatures.COUNT },
					features));
		}

		@Override
		public List<String> outputs() {
			return List.of("score");
		}

		@Override
		public Recommendations output(Ranking ranking, InferenceResult result) {
			return ranked(ranking.candidates(), result);
		}

	}

	private static Recommendations ranked(List<Restaurant> candidates, InferenceResult result) {
		float[] scores = result.output("score").floats();
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
