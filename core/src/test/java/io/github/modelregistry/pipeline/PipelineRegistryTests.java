package io.github.modelregistry.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.registry.Batching;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.InvalidInferenceRequestException;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A pipeline served by the registry: known by its signature, warmed up with generated text, batched across callers
 * with texts of different lengths, refusing a stage's client error as a bad request, and reloaded as one unit (the
 * new version's stages and runtime in, the old ones closed).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PipelineRegistryTests {

	@TempDir
	Path base;

	private final Queue<TokenModel> loaded = new ConcurrentLinkedQueue<>();

	private final Queue<CharacterTokenizer> tokenizers = new ConcurrentLinkedQueue<>();

	@Test
	void thePipelineIsTheModelCallersSeeAndTheRawModelStaysServableUnderItsOwnName() throws Exception {
		version(1);
		try (ModelRegistry registry = registry(null)) {
			assertThat(registry.metadata("embed").inputs()).extracting(TensorSpec::name).containsExactly("text");
			assertThat(registry.metadata("embed").platform()).isEqualTo("ensemble");
			assertThat(registry.metadata("encoder").inputs()).extracting(TensorSpec::name)
				.containsExactly("input_ids", "attention_mask");
			InferenceResult answer = registry.infer("embed", Tensor.of("text", new String[] { "ab" }));
			assertThat(answer.outputs().get(0).floats()).containsExactly(98.5f, 195f);
			assertThatThrownBy(() -> registry.infer("embed", Tensor.of("text", new String[] { "no!" })))
				.isInstanceOf(InvalidInferenceRequestException.class)
				.hasMessageContaining("text may not shout");
		}
	}

	@Test
	void textsOfDifferentLengthsFromManyCallersShareRunsAndEachGetsItsOwnVector() throws Exception {
		version(1);
		try (ModelRegistry registry = registry(Batching.DEFAULTS)) {
			TokenModel runtime = this.loaded.stream().filter((m) -> m.name().equals("embed")).findFirst().orElseThrow();
			int before = runtime.runs.get();
			List<CompletableFuture<Void>> callers = new ArrayList<>();
			int requests = 0;
			for (int client = 0; client < 16; client++) {
				SplittableRandom random = new SplittableRandom(client);
				List<String> texts = new ArrayList<>();
				for (int i = 0; i < 50; i++) {
					texts.add("x".repeat(random.nextInt(0, 60)) + client);
				}
				requests += texts.size();
				callers.add(CompletableFuture.runAsync(() -> {
					for (String text : texts) {
						float[] vector = registry.inferAsync("embed", Tensor.of("text", new String[] { text }))
							.join()
							.outputs()
							.get(0)
							.floats();
						assertThat(vector).containsExactly(expected(text, 1));
					}
				}));
			}
			CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			assertThat(runtime.runs.get() - before).as("runs for " + requests + " requests").isLessThan(requests);
		}
	}

	@Test
	void aTextAStageRefusesInABatchIsRefusedAloneAndTheOthersInItAreAnswered() throws Exception {
		version(1);
		try (ModelRegistry registry = registry(Batching.DEFAULTS)) {
			List<CompletableFuture<Void>> callers = new ArrayList<>();
			java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
			for (int client = 0; client < 16; client++) {
				boolean shouts = client % 4 == 0;
				int id = client;
				callers.add(CompletableFuture.runAsync(() -> {
					for (int i = 0; i < 100; i++) {
						String text = "client " + id + " " + i + (shouts ? "!" : "");
						CompletableFuture<InferenceResult> answer = registry.inferAsync("embed",
								Tensor.of("text", new String[] { text }));
						if (shouts) {
							assertThatThrownBy(answer::join).hasCauseInstanceOf(InvalidInferenceRequestException.class)
								.hasMessageContaining("text may not shout");
							refused.incrementAndGet();
						}
						else {
							assertThat(answer.join().outputs().get(0).floats()).containsExactly(expected(text, 1));
						}
					}
				}));
			}
			CompletableFuture.allOf(callers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
			assertThat(refused).hasValue(400);
			assertThat(this.tokenizers.stream().mapToInt((t) -> t.mixedBatches.get()).sum())
				.as("batches that mixed a refused text with others").isPositive();
		}
	}

	@Test
	void aReloadSwapsTheWholePipelineAndClosesTheOldOne() throws Exception {
		version(1);
		try (ModelRegistry registry = registry(null)) {
			assertThat(registry.infer("embed", Tensor.of("text", new String[] { "a" })).outputs().get(0).floats())
				.containsExactly(98f, 194f);
			version(2);
			registry.reload("embed");
			InferenceResult answer = registry.infer("embed", Tensor.of("text", new String[] { "a" }));
			assertThat(answer.version()).isEqualTo(2);
			assertThat(answer.outputs().get(0).floats()).containsExactly(99f, 194f);
			TokenModel first = this.loaded.stream().filter((m) -> m.name().equals("embed") && m.version() == 1)
				.findFirst()
				.orElseThrow();
			org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(first.closes).hasValue(1));
			// Two tokenizers made for embed (one per version), the first closed with its version
			assertThat(this.tokenizers).hasSize(2);
			assertThat(this.tokenizers.peek().closes).hasValue(1);
		}
	}

	private ModelRegistry registry(Batching batching) {
		ModelRegistry.Builder builder = ModelRegistry.builder()
			.modelLoader((name, source) -> {
				TokenModel model = new TokenModel(name, source.version());
				this.loaded.add(model);
				return model;
			})
			.model(new ModelDefinition("embed", this.base.resolve("embed").toUri().toString(), null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.model(new ModelDefinition("encoder", this.base.resolve("embed").toUri().toString(), null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.pipeline("embed", Pipeline.builder().pre("tokenizer", (context) -> {
				CharacterTokenizer tokenizer = new CharacterTokenizer();
				this.tokenizers.add(tokenizer);
				return tokenizer;
			}).post("pooling", MeanPooling.factory()).option("normalize", "false").build());
		if (batching != null) {
			builder.batching("embed", batching).inferenceThreads(2);
		}
		ModelRegistry registry = builder.build();
		registry.start();
		return registry;
	}

	private void version(long version) throws Exception {
		Path folder = Files.createDirectories(this.base.resolve("embed").resolve(Long.toString(version)));
		Files.write(folder.resolve("model.onnx"), new byte[] { 1 });
	}

	/** The mean of the states {@code (id + version, 2 × id)} of a text's characters */
	private static float[] expected(String text, long version) {
		double first = 0;
		double second = 0;
		for (char c : text.toCharArray()) {
			first += c + version;
			second += 2.0 * c;
		}
		return new float[] { (float) (first / text.length()), (float) (second / text.length()) };
	}

}
