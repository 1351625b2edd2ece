package io.github.modelregistry.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.modelregistry.autoconfigure.ResourceModelRepository;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ReloadResult;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed restaurant-ranker models (versions 1 and 2) on real ONNX Runtime sessions.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RestaurantRankerModelTests {

	private static final String LOCATION = "classpath:models/restaurant-ranker";

	private ModelRegistry registry;

	@TempDir
	Path temp;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	private ModelRegistry registry(HolderStrategy strategy, String location, Long version) {
		// classpath: locations are the Spring Boot module's: its repository reads them, inside the jar or not
		this.registry = TestRegistries.started(TestRegistries.builder()
			.repository(new ResourceModelRepository(new PathMatchingResourcePatternResolver()))
			.model(new ModelDefinition(RecommendationService.MODEL, location, version, strategy, LoadMode.EAGER)));
		return this.registry;
	}

	private static List<Tensor> batch() {
		float[] features = new float[10 * RestaurantFeatures.COUNT];
		List<Restaurant> candidates = Diners.tenCandidates();
		for (int i = 0; i < 10; i++) {
			RestaurantFeatures.encode(Diners.vegetarianWhoLovesIndian(), candidates.get(i), Diners.dinner(), features,
					i * RestaurantFeatures.COUNT);
		}
		return List.of(Tensor.ofFloats("features", new long[] { 10, RestaurantFeatures.COUNT }, features));
	}

	private float[] scores(Long version) {
		return this.registry.infer(RecommendationService.MODEL, version, batch(), List.of()).outputs().get(0).floats();
	}

	@Test
	void bothVersionsScoreABatchOfTenInTheUnitIntervalDeterministically() {
		registry(HolderStrategy.SHARDED_RCU, LOCATION, 1L);
		float[] first = scores(1L);
		assertThat(first).hasSize(10);
		for (float score : first) {
			assertThat(score).isBetween(0f, 1f);
		}
		assertThat(scores(1L)).containsExactly(first);
		this.registry.reload(RecommendationService.MODEL, 2);
		float[] second = scores(2L);
		for (float score : second) {
			assertThat(score).isBetween(0f, 1f);
		}
		assertThat(scores(2L)).containsExactly(second);
		assertThat(second).isNotEqualTo(first);
	}

	@Test
	void metadataDescribesFortyFeaturesInAndOneScoreOut() {
		registry(HolderStrategy.SHARDED_RCU, LOCATION, null);
		var metadata = this.registry.metadata(RecommendationService.MODEL);
		assertThat(metadata.versions()).containsExactly(2L);
		assertThat(metadata.inputs())
			.containsExactly(new TensorSpec("features", TensorDatatype.FP32, new long[] { -1, 40 }));
		assertThat(metadata.outputs()).containsExactly(new TensorSpec("score", TensorDatatype.FP32, new long[] { -1, 1 }));
	}

	@Test
	void theTrainedModelPrefersWhatTheDinerLikes() {
		registry(HolderStrategy.SHARDED_RCU, LOCATION, 2L);
		float[] scores = scores(2L);
		List<Restaurant> candidates = Diners.tenCandidates();
		// r3 is Indian, vegetarian-friendly and visited four times; r7 is closed and has nothing vegetarian; r9 is
		// 14 km away and has nothing vegetarian
		assertThat(candidates.get(3).cuisine()).isEqualTo(Cuisine.INDIAN);
		assertThat(candidates.get(7).openNow()).isFalse();
		assertThat(scores[3]).isGreaterThan(scores[7]).isGreaterThan(scores[9]);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(value = HolderStrategy.class, names = { "SHARDED_RCU", "RWLOCK", "MUTEX", "PER_REQUEST" })
	void reloadingToVersionTwoAndBackWhileEightThreadsInferFailsNoInference(HolderStrategy strategy)
			throws Exception {
		registry(strategy, LOCATION, 1L);
		float[] first = scores(1L);
		this.registry.reload(RecommendationService.MODEL, 2);
		float[] second = scores(2L);
		this.registry.reload(RecommendationService.MODEL, 1);
		int threads = 8;
		CyclicBarrier start = new CyclicBarrier(threads + 1);
		AtomicBoolean done = new AtomicBoolean();
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Long>> inferences = new java.util.ArrayList<>();
			for (int t = 0; t < threads; t++) {
				inferences.add(pool.submit(() -> {
					start.await();
					long count = 0;
					do {
						InferenceResult result = this.registry.infer(RecommendationService.MODEL, null, batch(),
								List.of());
						// Every answer is exactly one version's answer: never a mix, never a failure
						float[] expected = (result.version() == 1) ? first : second;
						assertThat(result.outputs().get(0).floats()).containsExactly(expected);
						count++;
					}
					while (!done.get());
					return count;
				}));
			}
			start.await();
			int reloads = (strategy == HolderStrategy.PER_REQUEST) ? 50 : 500;
			for (int i = 0; i < reloads; i++) {
				ReloadResult result = this.registry.reload(RecommendationService.MODEL, 2 - (i % 2));
				assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.RELOADED);
			}
			done.set(true);
			long total = 0;
			for (Future<Long> inference : inferences) {
				total += inference.get(60, TimeUnit.SECONDS);
			}
			System.out.printf("%s: %d reloads while %d threads ran %d inferences, none failed%n", strategy, reloads,
					threads, total);
		}
		finally {
			done.set(true);
			pool.shutdownNow();
		}
	}

	@Test
	void aTruncatedModelFileFailsTheReloadAndVersionOneKeepsAnswering() throws Exception {
		Path folder = this.temp.resolve("restaurant-ranker");
		byte[] committed = new org.springframework.core.io.ClassPathResource("models/restaurant-ranker/1/model.onnx")
			.getContentAsByteArray();
		Files.createDirectories(folder.resolve("1"));
		Files.write(folder.resolve("1/model.onnx"), committed);
		Files.createDirectories(folder.resolve("2"));
		Files.write(folder.resolve("2/model.onnx"), Arrays.copyOf(committed, committed.length / 3));
		registry(HolderStrategy.SHARDED_RCU, "file:" + folder, 1L);
		float[] before = scores(null);
		ReloadResult result = this.registry.reload(RecommendationService.MODEL, 2);
		assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
		assertThat(result.previousVersion()).isEqualTo(1);
		assertThat(result.version()).isEqualTo(1);
		System.out.println("Reload of a truncated file reported: " + result.message());
		assertThat(scores(1L)).containsExactly(before);
		assertThat(this.registry.status(RecommendationService.MODEL).lastError()).isEqualTo(result.message());
	}

}
