package io.github.modelregistry.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.ShortBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.onnxruntime.OnnxJavaType;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Real ONNX Runtime sessions on small generated models.
 */
class OnnxModelTests {

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
	void runHoldsBytesAsOnnxStringTensorsBothWays() throws Exception {
		this.model = this.loader.load("echo", 1, "memory", TestModels.echo());
		assertThat(this.model.inputs()).extracting(TensorSpec::datatype).containsExactly(TensorDatatype.BYTES);
		assertThat(this.model.outputs()).extracting(TensorSpec::datatype).containsExactly(TensorDatatype.BYTES);
		String[] texts = { "quiet vegetarian place for a date", "", "café 日本 🍷" };
		List<Tensor> outputs = this.model.run(List.of(Tensor.of("text", texts)), List.of());
		assertThat(outputs.get(0).datatype()).isSameAs(TensorDatatype.BYTES);
		assertThat(outputs.get(0).shape()).containsExactly(3);
		assertThat(outputs.get(0).strings()).containsExactly(texts);
		// Warm-up's generated request: one empty string
		assertThat(this.model.run(List.of(Tensor.of("text", TensorDatatype.BYTES, new long[] { 1 },
				TensorDatatype.BYTES.zeros(1))), List.of()).get(0).strings()).containsExactly("");
	}

	@Test
	void runAcceptsInt16Int8AndUint8AndReadsThemAsTheirTypes() throws Exception {
		this.model = this.loader.load("narrow", 1, "memory", TestModels.narrowIntegers());
		long[] shape = { 1, 3 };
		List<Tensor> outputs = this.model.run(List.of(
				Tensor.of("x_int16", TensorDatatype.INT16, shape,
						ShortBuffer.wrap(new short[] { Short.MIN_VALUE, -1, Short.MAX_VALUE })),
				Tensor.of("x_int8", TensorDatatype.INT8, shape, ByteBuffer.wrap(new byte[] { Byte.MIN_VALUE, -1, 127 })),
				Tensor.of("x_uint8", TensorDatatype.UINT8, shape, ByteBuffer.wrap(new byte[] { 0, (byte) 128, (byte) 255 }))),
				List.of());
		assertThat(outputs).extracting(Tensor::name)
			.containsExactly("y_int16", "z_int16", "y_int8", "z_int8", "y_uint8", "z_uint8");
		assertThat(outputs).extracting(Tensor::datatype).containsExactly(TensorDatatype.INT16, TensorDatatype.INT64,
				TensorDatatype.INT8, TensorDatatype.INT64, TensorDatatype.UINT8, TensorDatatype.INT64);
		assertThat(outputs.get(0).asDoubles()).containsExactly(Short.MIN_VALUE, -1, Short.MAX_VALUE);
		assertThat(outputs.get(1).longs()).containsExactly(Short.MIN_VALUE, -1, Short.MAX_VALUE);
		assertThat(outputs.get(2).asDoubles()).containsExactly(-128, -1, 127);
		assertThat(outputs.get(3).longs()).containsExactly(-128, -1, 127);
		// ONNX Runtime read the bytes as unsigned, and so does the output tensor
		assertThat(outputs.get(4).asDoubles()).containsExactly(0, 128, 255);
		assertThat(outputs.get(5).longs()).containsExactly(0, 128, 255);
		assertThat(this.model.inputs()).extracting(TensorSpec::datatype).containsExactly(TensorDatatype.INT16,
				TensorDatatype.INT8, TensorDatatype.UINT8);
	}

	@Test
	void runReadsDirectBytesInPlaceAndCopiesHeapBytesForEveryDatatype() throws Exception {
		this.model = this.loader.load("typed", 1, "memory", TestModels.everyDatatype());
		long[] shape = { 2, 3 };
		List<Tensor> typed = List.of(Tensor.ofFloats("x_fp32", shape, 0.1f, -2, 0, Float.MAX_VALUE, 1e-7f, 3),
				Tensor.ofDoubles("x_fp64", shape, 0.1, -2, 0, Double.MAX_VALUE, 1e-300, 3),
				Tensor.ofInts("x_int32", shape, Integer.MAX_VALUE, -2, 0, 1, 2, 3),
				Tensor.ofLongs("x_int64", shape, Long.MAX_VALUE, -2, 0, 1L << 53, 2, 3),
				Tensor.ofBooleans("x_bool", shape, true, false, true, false, false, true));
		List<Tensor> expected = this.model.run(typed, List.of());
		List<Tensor> direct = typed.stream().map((tensor) -> rewrap(tensor, true)).toList();
		List<Tensor> heap = typed.stream().map((tensor) -> rewrap(tensor, false)).toList();
		assertThat(direct).allSatisfy((tensor) -> assertThat(tensor.bytes().isDirect()).isTrue());
		assertThat(heap).allSatisfy((tensor) -> assertThat(tensor.bytes().isDirect()).isFalse());
		for (List<Tensor> inputs : List.of(direct, heap)) {
			List<Tensor> outputs = this.model.run(inputs, List.of());
			assertThat(outputs).hasSameSizeAs(expected);
			for (int i = 0; i < outputs.size(); i++) {
				assertThat(outputs.get(i).datatype()).isEqualTo(expected.get(i).datatype());
				assertThat(outputs.get(i).shape()).containsExactly(expected.get(i).shape());
				assertThat(outputs.get(i).bytes()).isEqualTo(expected.get(i).bytes());
			}
		}
		assertThat(expected.get(0).floats()).containsExactly(-0.1f, 2, -0f, -Float.MAX_VALUE, -1e-7f, -3);
		assertThat(expected.get(3).longs()).containsExactly(-Long.MAX_VALUE, 2, 0, -(1L << 53), -2, -3);
		assertThat(expected.get(4).booleans()).containsExactly(false, true, false, true, true, false);
	}

	@Test
	void everyDatatypeNamesAnOnnxRuntimeTypeThatMapsBackToIt() {
		for (TensorDatatype datatype : TensorDatatype.values()) {
			OnnxJavaType type = OnnxJavaType.valueOf(datatype.onnxTypeName());
			assertThat(TensorDatatype.ofOnnxTypeName(type.name())).isSameAs(datatype);
			if (datatype != TensorDatatype.BYTES) {
				assertThat(type.size).as(datatype.name()).isEqualTo(datatype.bytes());
			}
		}
		assertThat(TensorDatatype.ofOnnxTypeName(OnnxJavaType.STRING.name())).isSameAs(TensorDatatype.BYTES);
		assertThat(TensorDatatype.ofOnnxTypeName(OnnxJavaType.FLOAT16.name())).isNull();
	}

	/**
	 * The same tensor over a copy of its bytes, direct or on the heap.
	 */
	private static Tensor rewrap(Tensor tensor, boolean direct) {
		ByteBuffer source = tensor.bytes();
		ByteBuffer copy = (direct ? ByteBuffer.allocateDirect(source.remaining()) : ByteBuffer.allocate(source.remaining()))
			.order(ByteOrder.nativeOrder());
		copy.put(source).flip();
		return Tensor.of(tensor.name(), tensor.datatype(), tensor.shape(), copy);
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
