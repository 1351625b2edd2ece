package io.github.modelregistry.onnx;

import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorSpec;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.InvalidTensorException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Real ONNX Runtime sessions on small generated models.
 */
class OnnxModelTest {

	private final OnnxModelLoader loader = new OnnxModelLoader(OnnxSessionSettings.DEFAULT);

	private OnnxModel model;

	@TempDir
	Path temp;

	@AfterEach
	void close() throws Exception {
		if (this.model != null) {
			this.model.close();
		}
	}

	@Test
	void loadDescribesInputsAndOutputsWithDynamicDimensionsAsMinusOne() throws Exception {
		this.model = this.loader.load("scorer", 3, "memory", TestModels.scorer(4, 0f));
		assertThat(this.model.inputs()).containsExactly(new TensorSpec("features", TensorDatatype.FP32,
				new long[] { -1, 4 }));
		assertThat(this.model.outputs()).containsExactly(new TensorSpec("score", TensorDatatype.FP32,
				new long[] { -1, 1 }));
		assertThat(this.model.version()).isEqualTo(3);
		assertThat(this.model.sizeBytes()).isPositive();
	}

	@Test
	void runScoresABatchDeterministically() throws Exception {
		Path file = TestModels.write(this.temp, "scorer", 1, TestModels.scorer(4, 0.5f));
		this.model = this.loader.load("scorer", 1, file);
		Tensor features = Tensor.ofFloats("features", new long[] { 2, 4 }, 4, 3, 2, 1, 0, 0, 0, 0);
		List<Tensor> first = this.model.run(List.of(features), List.of());
		List<Tensor> second = this.model.run(List.of(features), List.of("score"));
		assertThat(first).singleElement().satisfies((score) -> {
			assertThat(score.name()).isEqualTo("score");
			assertThat(score.shape()).containsExactly(2, 1);
			// weights are -0.5, -0.25, 0, 0.25 and bias 0.5: logits -2 and 0.5
			assertThat(score.floats()).containsExactly(new float[] { sigmoid(-2f), sigmoid(0.5f) },
					org.assertj.core.data.Offset.offset(1e-6f));
		});
		assertThat(second.get(0).floats()).containsExactly(first.get(0).floats());
	}

	@Test
	void runAcceptsEveryDatatype() throws Exception {
		this.model = this.loader.load("typed", 1, "memory", TestModels.everyDatatype());
		long[] shape = { 1, 3 };
		List<Tensor> outputs = this.model.run(List.of(Tensor.ofFloats("x_fp32", shape, 1.5f, -2, 0),
				Tensor.ofDoubles("x_fp64", shape, 1.5, -2, 0), Tensor.ofInts("x_int32", shape, 1, -2, 0),
				Tensor.ofLongs("x_int64", shape, 1L << 40, -2, 0), Tensor.ofBooleans("x_bool", shape, true, false, true)),
				List.of("y_fp32", "y_fp64", "y_int32", "y_int64", "y_bool"));
		assertThat(outputs).extracting(Tensor::datatype).containsExactly(TensorDatatype.FP32, TensorDatatype.FP64,
				TensorDatatype.INT32, TensorDatatype.INT64, TensorDatatype.BOOL);
		assertThat(outputs.get(0).floats()).containsExactly(-1.5f, 2, -0f);
		assertThat(outputs.get(1).doubles()).containsExactly(-1.5, 2, -0.0);
		assertThat(outputs.get(2).ints()).containsExactly(-1, 2, 0);
		assertThat(outputs.get(3).longs()).containsExactly(-(1L << 40), 2, 0);
		assertThat(outputs.get(4).booleans()).containsExactly(false, true, false);
		assertThat(this.model.inputs()).extracting(TensorSpec::datatype).containsExactly(TensorDatatype.FP32,
				TensorDatatype.FP64, TensorDatatype.INT32, TensorDatatype.INT64, TensorDatatype.BOOL);
	}

	@Test
	void requestsThatDoNotFitTheModelAreRejectedNamingWhatIsWrong() throws Exception {
		this.model = this.loader.load("scorer", 1, "memory", TestModels.scorer(4, 0f));
		assertThatExceptionOfType(InvalidTensorException.class)
			.isThrownBy(() -> this.model.run(List.of(Tensor.ofFloats("feature", new long[] { 1, 4 }, 1, 2, 3, 4)),
					List.of()))
			.withMessageContaining("Unknown input 'feature'")
			.withMessageContaining("[features]");
		assertThatExceptionOfType(InvalidTensorException.class)
			.isThrownBy(() -> this.model.run(List.of(Tensor.ofDoubles("features", new long[] { 1, 4 }, 1, 2, 3, 4)),
					List.of()))
			.withMessage("Input 'features' has datatype FP64 but model 'scorer' expects FP32");
		assertThatExceptionOfType(InvalidTensorException.class)
			.isThrownBy(() -> this.model.run(List.of(Tensor.ofFloats("features", new long[] { 1, 3 }, 1, 2, 3)),
					List.of()))
			.withMessageContaining("has shape [1, 3] but model 'scorer' expects [-1, 4]");
		assertThatExceptionOfType(InvalidTensorException.class)
			.isThrownBy(() -> this.model.run(List.of(), List.of()))
			.withMessage("Missing input 'features' for model 'scorer'");
		assertThatExceptionOfType(InvalidTensorException.class)
			.isThrownBy(() -> this.model.run(List.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 1, 2, 3, 4)),
					List.of("probability")))
			.withMessageContaining("Unknown output 'probability'");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> Tensor.ofFloats("features", new long[] { 2, 4 }, 1, 2, 3))
			.withMessageContaining("has shape [2, 4] (8 elements) but 3 data elements");
	}

	@Test
	void aCorruptFileFailsToLoad() throws Exception {
		byte[] model = TestModels.scorer(4, 0f);
		Path file = TestModels.write(this.temp, "scorer", 1, java.util.Arrays.copyOf(model, model.length / 2));
		assertThatExceptionOfType(ai.onnxruntime.OrtException.class)
			.isThrownBy(() -> this.loader.load("scorer", 1, file));
		Path missing = this.temp.resolve("missing.onnx");
		assertThat(Files.exists(missing)).isFalse();
		assertThatExceptionOfType(java.io.IOException.class).isThrownBy(() -> this.loader.load("scorer", 1, missing));
	}

	static float sigmoid(float x) {
		return (float) (1 / (1 + Math.exp(-x)));
	}

}
