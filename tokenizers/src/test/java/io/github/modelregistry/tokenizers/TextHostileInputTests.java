package io.github.modelregistry.tokenizers;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.pipeline.MeanPooling;
import io.github.modelregistry.pipeline.Pipeline;
import io.github.modelregistry.registry.InvalidInferenceRequestException;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ReloadResult;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a text model does with input meant to hurt it: a 1 MB text, 100,000 strings, empty strings, a text longer
 * than the model takes, and a new version whose tokenizer is missing or corrupt. Each is a clear refusal or a failed
 * reload, and the model goes on answering.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class TextHostileInputTests {

	@TempDir
	Path base;

	private ModelRegistry registry;

	@BeforeEach
	void start() {
		TextModels.minilm(this.base, "embeddings", 1, TextModels.QUANTIZED);
		this.registry = ModelRegistry.builder()
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.model(new ModelDefinition("embeddings", this.base.resolve("embeddings").toUri().toString(), null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.pipeline("embeddings", Pipeline.builder()
				.pre("tokenizer", HuggingFaceTokenizerStage.factory())
				.post("pooling", MeanPooling.factory())
				.build())
			.build();
		this.registry.start();
	}

	@AfterEach
	void stop() {
		this.registry.close();
	}

	private float[][] embed(String... texts) {
		return this.registry.infer("embeddings", Tensor.of("text", texts)).outputs().get(0).floatRows();
	}

	private void answersStill() {
		assertThat(embed("still answering")[0]).hasSize(384);
	}

	@Test
	void aTextOfOneMegabyteIsRefusedBeforeItIsTokenized() {
		String huge = "word ".repeat(200_000) + "end";
		assertThatThrownBy(() -> embed("fine", huge)).isInstanceOf(InvalidInferenceRequestException.class)
			.hasMessageContaining("Input 'text' element 1 has 1000003 bytes: at most 65536 a text (the pipeline option "
					+ "max-text-bytes)");
		answersStill();
	}

	@Test
	void aHundredThousandStringsInOneRequestAreRefused() {
		String[] many = new String[100_000];
		Arrays.fill(many, "");
		assertThatThrownBy(() -> embed(many)).isInstanceOf(InvalidInferenceRequestException.class)
			.hasMessageContaining("Input 'text' holds 100000 texts: at most 1024 a request (the pipeline option "
					+ "max-texts)");
		answersStill();
	}

	@Test
	void emptyStringsGetTheVectorOfTheSpecialTokensAlone() {
		float[][] vectors = embed("", "", "not empty");
		assertThat(vectors[0]).containsExactly(vectors[1]);
		assertThat(TextModels.cosine(vectors[0], vectors[0])).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-6));
		assertThat(vectors[2]).isNotEqualTo(vectors[0]);
	}

	@Test
	void aTextLongerThanTheModelTakesIsTruncatedToItsFirstTokens() {
		// 360 words, past 256 tokens
		String first = "a quiet vegetarian place for a date ".repeat(60).trim();
		String longer = first + " " + "and then much more about something else entirely ".repeat(60);
		// Both past 256 tokens: cut at the same place, the same vector
		assertThat(embed(longer)[0]).containsExactly(embed(first)[0]);
		// And a text within the limit is not cut: adding to it changes its vector
		String shorter = "a quiet vegetarian place for a date";
		assertThat(embed(shorter + " with a view")[0]).isNotEqualTo(embed(shorter)[0]);
	}

	@Test
	void aNewVersionWithoutItsTokenizerFailsToLoadAndTheOldOneServes() throws Exception {
		Path second = Files.createDirectories(this.base.resolve("embeddings/2"));
		Files.copy(this.base.resolve("embeddings/1/model.onnx"), second.resolve("model.onnx"));
		ReloadResult reload = this.registry.reload("embeddings");
		assertThat(reload.outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
		assertThat(reload.message()).contains("has no tokenizer.json beside");
		assertThat(reload.version()).isEqualTo(1);
		assertThat(this.registry.infer("embeddings", Tensor.of("text", new String[] { "x" })).version()).isEqualTo(1);
	}

	@Test
	void aNewVersionWithACorruptTokenizerFailsToLoadAndTheOldOneServes() throws Exception {
		Path second = Files.createDirectories(this.base.resolve("embeddings/2"));
		Files.copy(this.base.resolve("embeddings/1/model.onnx"), second.resolve("model.onnx"));
		Files.writeString(second.resolve("tokenizer.json"), "{\"model\": {\"type\": \"WordPiece\", \"vocab\": ");
		ReloadResult reload = this.registry.reload("embeddings");
		assertThat(reload.outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
		assertThat(reload.message()).contains("tokenizer.json");
		assertThat(reload.version()).isEqualTo(1);
		answersStill();
	}

	@Test
	void bytesThatAreNotTextAreRefusedNamingTheElement() {
		Tensor mixed = Tensor.ofBytes("text", new long[] { 2 }, "ok".getBytes(java.nio.charset.StandardCharsets.UTF_8),
				new byte[] { (byte) 0xFF });
		assertThatThrownBy(() -> this.registry.infer("embeddings", mixed))
			.isInstanceOf(InvalidInferenceRequestException.class)
			.hasMessageContaining("Input 'text' element 1 is not UTF-8 text");
		assertThat(mixed.datatype()).isSameAs(TensorDatatype.BYTES);
		answersStill();
	}

}
