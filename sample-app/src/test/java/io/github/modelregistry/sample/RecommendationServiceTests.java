package io.github.modelregistry.sample;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.modelregistry.registry.ModelFailedException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.test.ModelRegistryTest;
import io.github.modelregistry.test.StubModel;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import static io.github.modelregistry.test.ModelRegistryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RecommendationService} against a stub of the ranking model that gives fixed scores, through the
 * registry's real protection and scheduling: what the service sends the model and what it makes of the answer,
 * without ONNX Runtime, the model file or the web server. The model itself is tested by
 * {@link RestaurantRankerModelTests}.
 */
@ModelRegistryTest
@Import(RecommendationService.class)
class RecommendationServiceTests {

	/** The ranking model as the service uses it: 40 features per candidate in, one score per candidate out. */
	static final StubModel.Spec RANKER = StubModel.spec(RecommendationService.MODEL)
		.version(7)
		.input("features", TensorDatatype.FP32, -1, RestaurantFeatures.COUNT)
		.output("score", TensorDatatype.FP32, -1, 1);

	/** Fixed scores by candidate position: the third candidate best, then the first, then the rest. */
	static final float[] SCORES = { 0.8f, 0.1f, 0.9f, 0.3f, 0.2f, 0.05f, 0.4f, 0.6f, 0.5f, 0.7f };

	@TestConfiguration(proxyBeanMethods = false)
	static class RankerStub {

		@Bean
		Ranker ranker() {
			return new Ranker();
		}

		@Bean
		StubModel rankerModel(Ranker ranker) {
			return StubModel.of(RANKER, ranker::answer);
		}

	}

	/** What the stub answers, and what it was sent. */
	static final class Ranker {

		final List<Tensor> sent = new CopyOnWriteArrayList<>();

		volatile boolean broken;

		List<Tensor> answer(Map<String, Tensor> inputs) {
			if (this.broken) {
				throw new IllegalStateException("the ranker broke");
			}
			Tensor features = inputs.get("features");
			this.sent.add(features);
			int rows = (int) features.shape()[0];
			return List.of(Tensor.ofFloats("score", new long[] { rows, 1 }, Arrays.copyOf(SCORES, rows)));
		}

	}

	@Autowired
	RecommendationService service;

	@Autowired
	Ranker ranker;

	@BeforeEach
	void reset() {
		this.ranker.sent.clear();
		this.ranker.broken = false;
	}

	@Test
	void ranksTheCandidatesByTheModelsScoresBestFirst() {
		List<Restaurant> candidates = Diners.tenCandidates();
		RecommendationService.Recommendations ranked = this.service
			.rank(Diners.vegetarianWhoLovesIndian(), candidates, Diners.dinner())
			.join();
		assertThat(ranked.modelVersion()).isEqualTo(7);
		assertThat(ranked.restaurants()).extracting((scored) -> scored.restaurant().id())
			.containsExactly("r2", "r0", "r9", "r7", "r8", "r6", "r3", "r4", "r1", "r5");
		assertThat(ranked.restaurants()).extracting(ScoredRestaurant::score).startsWith(0.9f, 0.8f, 0.7f);
	}

	@Test
	void sendsOneBatchOfEncodedFeatures() {
		List<Restaurant> candidates = Diners.tenCandidates().subList(0, 3);
		this.service.rank(Diners.vegetarianWhoLovesIndian(), candidates, Diners.dinner()).join();
		assertThat(this.ranker.sent).singleElement().satisfies((features) -> {
			assertThat(features).hasShape(3, RestaurantFeatures.COUNT);
			float[] expected = new float[3 * RestaurantFeatures.COUNT];
			for (int i = 0; i < 3; i++) {
				RestaurantFeatures.encode(Diners.vegetarianWhoLovesIndian(), candidates.get(i), Diners.dinner(),
						expected, i * RestaurantFeatures.COUNT);
			}
			assertThat(features).floats().containsExactly(expected);
		});
	}

	@Test
	void noCandidatesNeedNoModel() {
		assertThat(this.service.rank(Diners.vegetarianWhoLovesIndian(), List.of(), Diners.dinner()).join()
			.restaurants()).isEmpty();
		assertThat(this.ranker.sent).isEmpty();
	}

	@Test
	void aCandidateWithoutAnIdIsRefusedBeforeTheModelRuns() {
		List<Restaurant> candidates = new ArrayList<>(Diners.tenCandidates().subList(0, 2));
		candidates.add(null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.service.rank(Diners.vegetarianWhoLovesIndian(), candidates, Diners.dinner()))
			.withMessage("Candidate 2 has no id");
		assertThat(this.ranker.sent).isEmpty();
	}

	@Test
	void aBrokenModelFailsTheRankingWithTheRegistrysException() {
		this.ranker.broken = true;
		assertThatExceptionOfType(CompletionException.class)
			.isThrownBy(() -> this.service
				.rank(Diners.vegetarianWhoLovesIndian(), Diners.tenCandidates(), Diners.dinner())
				.join())
			.withCauseInstanceOf(ModelFailedException.class)
			.withMessageContaining("the ranker broke");
	}

}
