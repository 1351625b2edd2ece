package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The registry in a service's own terms: the latest version implied, outputs by name, tensors from and to arrays,
 * definitions built by naming what differs, and a model behind a {@link Translator} in the service's own types.
 */
class JavaApiTests {

	private ModelRegistry registry;

	@BeforeEach
	void serveADoublingModel() {
		this.registry = ModelRegistry.builder().model(new DoublingModel("doubler", 3)).build();
		this.registry.start();
	}

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void inferImpliesTheLatestVersionAndGivesOutputsByName() {
		InferenceResult result = this.registry.infer("doubler", Tensor.of("x", new float[] { 1, 2, 3 }));
		assertThat(result.version()).isEqualTo(3);
		assertThat(result.output("y").floats()).containsExactly(2, 4, 6);
		assertThatIllegalArgumentException().isThrownBy(() -> result.output("z"))
			.withMessage("Model 'doubler' answered no output 'z'; outputs: [y]");
	}

	@Test
	void inferAsyncImpliesTheLatestVersion() throws Exception {
		InferenceResult result = this.registry.inferAsync("doubler", Tensor.of("x", new float[] { 5 }))
			.get(10, TimeUnit.SECONDS);
		assertThat(result.output("y").floats()).containsExactly(10);
	}

	@Test
	void tensorsFromAndToRows() {
		Tensor features = Tensor.of("features", new float[][] { { 1, 2, 3 }, { 4, 5, 6 } });
		assertThat(features.shape()).containsExactly(2, 3);
		assertThat(features.floats()).containsExactly(1, 2, 3, 4, 5, 6);
		assertThat(features.floatRows()).isDeepEqualTo(new float[][] { { 1, 2, 3 }, { 4, 5, 6 } });
		assertThat(Tensor.of("ids", new long[][] { { 7 }, { 8 } }).longs()).containsExactly(7, 8);
		assertThat(Tensor.of("n", new int[][] { { 1, 2 } }).shape()).containsExactly(1, 2);
		assertThat(Tensor.of("d", new double[][] { { 0.5 } }).doubles()).containsExactly(0.5);
		assertThat(Tensor.of("ids", new long[] { 1, 2, 3 }).shape()).containsExactly(3);
		assertThatIllegalArgumentException().isThrownBy(() -> Tensor.of("ragged", new float[][] { { 1, 2 }, { 3 } }))
			.withMessage("Tensor 'ragged' has rows of 2 and of 1 values: every row must be as long as the first");
		assertThatIllegalArgumentException().isThrownBy(() -> Tensor.of("none", new float[0][]))
			.withMessageContaining("has no rows");
		assertThatThrownBy(() -> Tensor.of("flat", new float[] { 1 }).floatRows())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("only a tensor of rank 2 has rows");
	}

	@Test
	void aDefinitionNamesOnlyWhatDiffers() {
		ModelDefinition plain = ModelDefinition.builder("scorer", "/srv/models/scorer").build();
		assertThat(plain).isEqualTo(ModelDefinition.of("scorer", "/srv/models/scorer"));
		ModelDefinition lazy = ModelDefinition.builder("scorer", "/srv/models/scorer")
			.version(2)
			.strategy(HolderStrategy.RWLOCK)
			.load(LoadMode.LAZY)
			.pollInterval(Duration.ofSeconds(30))
			.warmup(false)
			.evictable(true)
			.build();
		assertThat(lazy.policy()).isEqualTo(VersionPolicy.specific(List.of(2L)));
		assertThat(lazy.strategy()).isEqualTo(HolderStrategy.RWLOCK);
		assertThat(lazy.load()).isEqualTo(LoadMode.LAZY);
		assertThat(lazy.pollInterval()).isEqualTo(Duration.ofSeconds(30));
		assertThat(lazy.warmup()).isFalse();
		assertThat(lazy.evictable()).isTrue();
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelDefinition.builder("scorer", "/srv").evictable(true).build())
			.withMessageContaining("only lazy models are unloaded");
	}

	/** A service's own types: prices in, doubled prices out. */
	record Prices(float... values) {
	}

	static final Translator<Prices, Prices> DOUBLED = new Translator<>() {

		@Override
		public List<Tensor> inputs(Prices input) {
			return List.of(Tensor.of("x", input.values()));
		}

		@Override
		public Prices output(Prices input, InferenceResult result) {
			return new Prices(result.output("y").floats());
		}

	};

	@Test
	void aPredictorSpeaksTheServicesTypes() throws Exception {
		Predictor<Prices, Prices> predictor = this.registry.predictor("doubler", DOUBLED);
		assertThat(predictor.predict(new Prices(1, 2)).values()).containsExactly(2, 4);
		assertThat(predictor.predictAsync(new Prices(3)).get(10, TimeUnit.SECONDS).values()).containsExactly(6);
		assertThat(predictor.model()).isEqualTo("doubler");
	}

	@Test
	void aPredictorFailsAsTheRegistryDoes() {
		Predictor<Prices, Prices> missing = this.registry.predictor("nope", DOUBLED);
		assertThatThrownBy(() -> missing.predict(new Prices(1))).isInstanceOf(ModelNotFoundException.class);
		assertThatThrownBy(() -> missing.predictAsync(new Prices(1)).join()).isInstanceOf(CompletionException.class)
			.hasCauseInstanceOf(ModelNotFoundException.class);
		Translator<Prices, Prices> refusing = new Translator<>() {

			@Override
			public List<Tensor> inputs(Prices input) {
				throw new IllegalArgumentException("no prices");
			}

			@Override
			public Prices output(Prices input, InferenceResult result) {
				return new Prices();
			}

		};
		assertThatThrownBy(() -> this.registry.predictor("doubler", refusing).predictAsync(new Prices()).join())
			.hasCauseInstanceOf(IllegalArgumentException.class);
	}

}
