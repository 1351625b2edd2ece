package io.github.modelregistry.pipeline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * A pipeline around a runtime model: its signature from its steps, a run through them, texts of different lengths
 * in one batch each answered as alone, steps that do not fit refused at load with everything made closed, and a
 * close that closes every step.
 */
class PipelineTests {

	@TempDir
	Path folder;

	@Test
	void theSignatureIsWhatCallersSendAndWhatTheLastStageAdds() throws Exception {
		try (PipelineModel model = textPipeline(false).load(new TokenModel("embed", 1), source())) {
			assertThat(model.inputs()).extracting(TensorSpec::name).containsExactly("text");
			assertThat(model.inputs().get(0).datatype()).isSameAs(TensorDatatype.BYTES);
			assertThat(model.outputs()).extracting(TensorSpec::name).containsExactly("embedding");
			assertThat(model.outputs().get(0).shape()).containsExactly(-1, 2);
			assertThat(model.platform()).isEqualTo("ensemble");
			assertThat(model.version()).isEqualTo(1);
			assertThat(model.describe()).isEqualTo("[tokenizer] -> test -> [pooling]");
		}
	}

	@Test
	void aRunGoesThroughEveryStepAndPoolsOnlyRealTokens() throws Exception {
		try (PipelineModel model = textPipeline(false).load(new TokenModel("embed", 1), source())) {
			Tensor embedding = model.run(List.of(Tensor.of("text", new String[] { "ab", "a" })), List.of()).get(0);
			assertThat(embedding.shape()).containsExactly(2, 2);
			// "ab": ids 97 and 98, states (98, 194) and (99, 196); "a" padded with a 1000 state the mean leaves out
			assertThat(embedding.floats()).containsExactly(98.5f, 195f, 98f, 194f);
		}
	}

	@Test
	void textsBatchedTogetherGetExactlyTheVectorsTheyGetAlone() throws Exception {
		try (PipelineModel model = textPipeline(true).load(new TokenModel("embed", 1), source())) {
			String[] texts = { "a quiet place", "", "vegetarian", "x".repeat(200) };
			float[] batched = model.run(List.of(Tensor.of("text", texts)), List.of()).get(0).floats();
			for (int i = 0; i < texts.length; i++) {
				float[] alone = model.run(List.of(Tensor.of("text", new String[] { texts[i] })), List.of())
					.get(0)
					.floats();
				assertThat(java.util.Arrays.copyOfRange(batched, 2 * i, 2 * i + 2)).containsExactly(alone);
			}
		}
	}

	@Test
	void rowsOfSimilarLengthRunTogetherEachGroupCutToItsLongestRow() throws Exception {
		String[] texts = { "x".repeat(200), "a", "bb", "y".repeat(190) };
		TokenModel grouped = new TokenModel("embed", 1);
		TokenModel padded = new TokenModel("embed", 1);
		Pipeline off = Pipeline.builder()
			.pre("tokenizer", (context) -> new CharacterTokenizer())
			.post("pooling", MeanPooling.factory())
			.option("normalize", "false")
			.option("group-by-length", "off")
			.build();
		try (PipelineModel byLength = textPipeline(false).load(grouped, source());
				PipelineModel whole = off.load(padded, source())) {
			float[] answer = byLength.run(List.of(Tensor.of("text", texts)), List.of()).get(0).floats();
			assertThat(answer).containsExactly(whole.run(List.of(Tensor.of("text", texts)), List.of()).get(0).floats());
			// "a" and "bb" together cut to 2 tokens; the two long ones together, cut to 200
			assertThat(grouped.shapes).containsExactly(List.of(2L, 2L), List.of(2L, 200L));
			assertThat(padded.shapes).containsExactly(List.of(4L, 200L));
		}
	}

	@Test
	void normalizedVectorsHaveLengthOneAndAnEmptyRowPoolsToZeros() throws Exception {
		try (PipelineModel model = textPipeline(true).load(new TokenModel("embed", 1), source())) {
			float[] vector = model.run(List.of(Tensor.of("text", new String[] { "hello" })), List.of()).get(0).floats();
			assertThat(Math.sqrt(vector[0] * vector[0] + vector[1] * vector[1])).isCloseTo(1, within(1e-6));
			assertThat(model.run(List.of(Tensor.of("text", new String[] { "" })), List.of()).get(0).floats())
				.containsExactly(0f, 0f);
		}
	}

	@Test
	void aRequestTheSignatureRefusesOrAStageRefusesIsTheCallersError() throws Exception {
		try (PipelineModel model = textPipeline(false).load(new TokenModel("embed", 1), source())) {
			assertThatThrownBy(() -> model.run(List.of(Tensor.ofFloats("text", new long[] { 1 }, 1f)), List.of()))
				.isInstanceOf(InvalidTensorException.class)
				.hasMessage("Input 'text' has datatype FP32 but model 'embed' expects BYTES");
			assertThatThrownBy(() -> model.run(List.of(Tensor.of("text", new String[] { "a" })), List.of("hidden")))
				.isInstanceOf(InvalidTensorException.class)
				.hasMessageStartingWith("Unknown output 'hidden' for model 'embed'");
			assertThatThrownBy(() -> model.run(List.of(Tensor.of("text", new String[] { "hey!" })), List.of()))
				.isInstanceOf(InvalidTensorException.class)
				.hasMessage("text may not shout");
		}
	}

	@Test
	void aStageReadingWhatNothingProducesFailsTheLoadAndClosesWhatWasMade() {
		TokenModel runtime = new TokenModel("embed", 1);
		CharacterTokenizer tokenizer = new CharacterTokenizer();
		Pipeline pipeline = Pipeline.builder()
			.pre("tokenizer", (context) -> tokenizer)
			.post("pooling", MeanPooling.factory())
			.post("reads-nothing-made", (context) -> stage(List.of(new TensorSpec("logits", TensorDatatype.FP32,
					new long[] { -1 })), List.of()))
			.build();
		assertThatIllegalStateException().isThrownBy(() -> pipeline.load(runtime, source()))
			.withMessage("Stage 'reads-nothing-made' of model 'embed''s pipeline reads 'logits', which no step before "
					+ "it produces; they produce [input_ids, attention_mask, last_hidden_state, embedding]");
		assertThat(runtime.closes).hasValue(1);
		assertThat(tokenizer.closes).hasValue(1);
	}

	@Test
	void aStageReadingAnotherDatatypeThanProducedFailsTheLoad() {
		TokenModel runtime = new TokenModel("embed", 1);
		Pipeline pipeline = Pipeline.builder()
			.pre("ids-as-floats", (context) -> stage(List.of(new TensorSpec("text", TensorDatatype.BYTES,
					new long[] { -1 })), List.of(new TensorSpec("input_ids", TensorDatatype.FP32, new long[] { -1, -1 }),
							new TensorSpec("attention_mask", TensorDatatype.INT64, new long[] { -1, -1 }))))
			.build();
		assertThatIllegalStateException().isThrownBy(() -> pipeline.load(runtime, source()))
			.withMessage("the model's runtime of model 'embed''s pipeline reads 'input_ids' as INT64 but it is "
					+ "produced as FP32");
		assertThat(runtime.closes).hasValue(1);
	}

	@Test
	void aFactoryThatFailsFailsTheLoadAndClosesTheStagesBeforeIt() {
		TokenModel runtime = new TokenModel("embed", 1);
		CharacterTokenizer tokenizer = new CharacterTokenizer();
		Pipeline pipeline = Pipeline.builder()
			.pre("tokenizer", (context) -> tokenizer)
			.post("missing-file", (context) -> {
				context.file("vocabulary.txt");
				throw new AssertionError("not reached");
			})
			.build();
		assertThatThrownBy(() -> pipeline.load(runtime, source())).isInstanceOf(java.io.FileNotFoundException.class)
			.hasMessageStartingWith("Model 'embed' version 1 has no vocabulary.txt beside ");
		assertThat(runtime.closes).hasValue(1);
		assertThat(tokenizer.closes).hasValue(1);
	}

	@Test
	void aStageReadsItsFilesFromTheVersionFolderAndNoFurther() throws Exception {
		Files.writeString(this.folder.resolve("tokenizer.json"), "{}");
		List<String> read = new ArrayList<>();
		Pipeline pipeline = Pipeline.builder().pre("tokenizer", (context) -> {
			read.add(new String(context.file("tokenizer.json").bytes(), java.nio.charset.StandardCharsets.UTF_8));
			for (String escape : List.of("../tokenizer.json", "/etc/passwd", ".hidden", "a/b")) {
				assertThatThrownBy(() -> context.file(escape)).isInstanceOf(IllegalArgumentException.class)
					.hasMessageContaining("is not a plain file name");
			}
			return new CharacterTokenizer();
		}).build();
		pipeline.load(new TokenModel("embed", 1), source()).close();
		assertThat(read).containsExactly("{}");
	}

	@Test
	void closingThePipelineModelClosesEveryStageAndTheRuntime() throws Exception {
		TokenModel runtime = new TokenModel("embed", 1);
		CharacterTokenizer tokenizer = new CharacterTokenizer();
		Pipeline pipeline = Pipeline.builder()
			.pre("tokenizer", (context) -> tokenizer)
			.post("pooling", MeanPooling.factory())
			.build();
		PipelineModel model = pipeline.load(runtime, source());
		assertThat(model.sizeBytes()).isEqualTo(100);
		model.close();
		assertThat(runtime.closes).hasValue(1);
		assertThat(tokenizer.closes).hasValue(1);
	}

	@Test
	void optionsReachTheStagesAndBadOnesAreNamed() throws Exception {
		Pipeline pipeline = Pipeline.builder()
			.pre("tokenizer", (context) -> new CharacterTokenizer())
			.post("pooling", MeanPooling.factory())
			.option("normalize", "maybe")
			.build();
		assertThatThrownBy(() -> pipeline.load(new TokenModel("embed", 1), source()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("Option 'normalize' of model 'embed''s pipeline must be true or false, not 'maybe'");
		Pipeline negative = Pipeline.builder()
			.pre("tokenizer", (context) -> new CharacterTokenizer())
			.option("group-tolerance", "-0.5")
			.build();
		assertThatThrownBy(() -> negative.load(new TokenModel("embed", 1), source()))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessage("Option 'group-tolerance' of model 'embed''s pipeline must be a non-negative number, not '-0.5'");
		Pipeline renamed = Pipeline.builder()
			.pre("tokenizer", (context) -> new CharacterTokenizer())
			.post("pooling", MeanPooling.factory())
			.option("embedding", "vector")
			.build();
		try (PipelineModel model = renamed.load(new TokenModel("embed", 1), source())) {
			assertThat(model.outputs()).extracting(TensorSpec::name).containsExactly("vector");
		}
	}

	@Test
	void aPipelineNeedsAStageAndUniqueNames() {
		assertThatIllegalStateException().isThrownBy(() -> Pipeline.builder().build())
			.withMessage("A pipeline needs at least one stage");
		assertThatThrownBy(() -> Pipeline.builder()
			.pre("a", (context) -> new CharacterTokenizer())
			.post("a", MeanPooling.factory())).isInstanceOf(IllegalArgumentException.class)
			.hasMessage("The pipeline already has a stage named 'a'");
	}

	static Pipeline textPipeline(boolean normalize) {
		return Pipeline.builder()
			.pre("tokenizer", (context) -> new CharacterTokenizer())
			.post("pooling", MeanPooling.factory())
			.option("normalize", Boolean.toString(normalize))
			.build();
	}

	private ModelSource source() {
		return ModelSource.ofFile("embed", 1, this.folder.resolve("model.onnx"));
	}

	private static PipelineStage stage(List<TensorSpec> inputs, List<TensorSpec> outputs) {
		return new PipelineStage() {

			@Override
			public List<TensorSpec> inputs() {
				return inputs;
			}

			@Override
			public List<TensorSpec> outputs() {
				return outputs;
			}

			@Override
			public List<Tensor> run(Map<String, Tensor> tensors) {
				throw new AssertionError("not run");
			}

		};
	}

}
