package io.github.modelregistry.onnx;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnx.proto.OnnxMl;
import io.github.modelregistry.tensor.Tensor;

/**
 * Small real ONNX models for tests, written with the ONNX protobuf classes that Tribuo's ONNX builder ships.
 */
public final class TestModels {

	private static final int OPSET = 13;

	private TestModels() {
	}

	/**
	 * A scorer: {@code score = sigmoid(features · weights + bias)}, input {@code features} FP32 [-1, width], output
	 * {@code score} FP32 [-1, 1]. Different {@code bias} values make different versions.
	 */
	public static byte[] scorer(int width, float bias) {
		float[] weights = new float[width];
		for (int i = 0; i < width; i++) {
			weights[i] = ((i % 5) - 2) * 0.25f;
		}
		OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
			.setName("scorer")
			.addInput(valueInfo("features", DataType.FLOAT, -1, width))
			.addOutput(valueInfo("score", DataType.FLOAT, -1, 1))
			.addInitializer(floats("weights", new long[] { width, 1 }, weights))
			.addInitializer(floats("bias", new long[] { 1 }, bias))
			.addNode(node("MatMul", "logits_raw", "features", "weights"))
			.addNode(node("Add", "logits", "logits_raw", "bias"))
			.addNode(node("Sigmoid", "score", "logits"))
			.build();
		return model(graph);
	}

	/**
	 * A two-layer perceptron, {@code score = sigmoid(relu(features · W1) · W2)}, with {@code inputs × hidden + hidden}
	 * seeded random weights: about {@code 4 × inputs × hidden} bytes, for tests that need a model of some size.
	 */
	public static byte[] perceptron(int inputs, int hidden, long seed) {
		java.util.SplittableRandom random = new java.util.SplittableRandom(seed);
		float[] w1 = new float[inputs * hidden];
		for (int i = 0; i < w1.length; i++) {
			w1[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
		}
		float[] w2 = new float[hidden];
		for (int i = 0; i < w2.length; i++) {
			w2[i] = (float) (random.nextDouble() - 0.5) * 0.1f;
		}
		OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
			.setName("perceptron")
			.addInput(valueInfo("features", DataType.FLOAT, -1, inputs))
			.addOutput(valueInfo("score", DataType.FLOAT, -1, 1))
			.addInitializer(floats("w1", new long[] { inputs, hidden }, w1))
			.addInitializer(floats("w2", new long[] { hidden, 1 }, w2))
			.addNode(node("MatMul", "h_raw", "features", "w1"))
			.addNode(node("Relu", "h", "h_raw"))
			.addNode(node("MatMul", "logits", "h", "w2"))
			.addNode(node("Sigmoid", "score", "logits"))
			.build();
		return model(graph);
	}

	/**
	 * {@code y = -x}, FP32, with both dimensions free: {@code x} [batch, width] to {@code y} [batch, width], for tests
	 * that send the same model tensors of different widths.
	 */
	public static byte[] negation() {
		OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
			.setName("negation")
			.addInput(freeValueInfo("x"))
			.addOutput(freeValueInfo("y"))
			.addNode(node("Neg", "y", "x"))
			.build();
		return model(graph);
	}

	private static OnnxMl.ValueInfoProto freeValueInfo(String name) {
		OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder()
			.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch"))
			.addDim(OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("width"));
		return OnnxMl.ValueInfoProto.newBuilder()
			.setName(name)
			.setType(OnnxMl.TypeProto.newBuilder()
				.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(DataType.FLOAT.getNumber())
					.setShape(shape)))
			.build();
	}

	/**
	 * One input per datatype a model typically has, {@code FP32}, {@code FP64}, {@code INT32}, {@code INT64} and
	 * {@code BOOL}, each returned negated (booleans: inverted) as an output: {@code x_<type>} [-1, 3] to
	 * {@code y_<type>} [-1, 3]. {@link #narrowIntegers()} has the other datatypes.
	 */
	public static byte[] everyDatatype() {
		OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("every-datatype");
		addNegation(graph, "fp32", DataType.FLOAT, "Neg");
		addNegation(graph, "fp64", DataType.DOUBLE, "Neg");
		addNegation(graph, "int32", DataType.INT32, "Neg");
		addNegation(graph, "int64", DataType.INT64, "Neg");
		addNegation(graph, "bool", DataType.BOOL, "Not");
		return model(graph.build());
	}

	/**
	 * One input per datatype {@link #everyDatatype()} leaves out, {@code INT16}, {@code INT8} and {@code UINT8}:
	 * {@code x_<type>} [-1, 3] is returned as it is as {@code y_<type>}, and widened to {@code INT64} as
	 * {@code z_<type>}, which shows how ONNX Runtime read it (a {@code UINT8} 255 is 255, not -1).
	 */
	public static byte[] narrowIntegers() {
		OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder().setName("narrow-integers");
		addIdentityAndWidening(graph, "int16", DataType.INT16);
		addIdentityAndWidening(graph, "int8", DataType.INT8);
		addIdentityAndWidening(graph, "uint8", DataType.UINT8);
		return model(graph.build());
	}

	/**
	 * Strings in, strings out: {@code text} STRING [-1] is returned as it is as {@code echo}, the smallest model that
	 * shows ONNX Runtime holding {@code BYTES} tensors.
	 */
	public static byte[] echo() {
		OnnxMl.GraphProto graph = OnnxMl.GraphProto.newBuilder()
			.setName("echo")
			.addInput(valueInfo("text", DataType.STRING, -1))
			.addOutput(valueInfo("echo", DataType.STRING, -1))
			.addNode(node("Identity", "echo", "text"))
			.build();
		return model(graph);
	}

	/**
	 * Writes {@code <base>/<name>/<version>/model.onnx}.
	 */
	public static Path write(Path base, String name, long version, byte[] model) {
		try {
			Path folder = Files.createDirectories(base.resolve(name).resolve(Long.toString(version)));
			return Files.write(folder.resolve("model.onnx"), model);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void addNegation(OnnxMl.GraphProto.Builder graph, String suffix, DataType type, String op) {
		graph.addInput(valueInfo("x_" + suffix, type, -1, 3))
			.addOutput(valueInfo("y_" + suffix, type, -1, 3))
			.addNode(node(op, "y_" + suffix, "x_" + suffix));
	}

	private static void addIdentityAndWidening(OnnxMl.GraphProto.Builder graph, String suffix, DataType type) {
		OnnxMl.NodeProto widen = node("Cast", "z_" + suffix, "x_" + suffix).toBuilder()
			.addAttribute(OnnxMl.AttributeProto.newBuilder()
				.setName("to")
				.setType(OnnxMl.AttributeProto.AttributeType.INT)
				.setI(DataType.INT64.getNumber()))
			.build();
		graph.addInput(valueInfo("x_" + suffix, type, -1, 3))
			.addOutput(valueInfo("y_" + suffix, type, -1, 3))
			.addOutput(valueInfo("z_" + suffix, DataType.INT64, -1, 3))
			.addNode(node("Identity", "y_" + suffix, "x_" + suffix))
			.addNode(widen);
	}

	private static byte[] model(OnnxMl.GraphProto graph) {
		return OnnxMl.ModelProto.newBuilder()
			.setIrVersion(8)
			.setProducerName("model-registry-tests")
			.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
			.setGraph(graph)
			.build()
			.toByteArray();
	}

	private static OnnxMl.NodeProto node(String op, String output, String... inputs) {
		OnnxMl.NodeProto.Builder node = OnnxMl.NodeProto.newBuilder().setOpType(op).setName(output).addOutput(output);
		for (String input : inputs) {
			node.addInput(input);
		}
		return node.build();
	}

	private static OnnxMl.ValueInfoProto valueInfo(String name, DataType type, long... dims) {
		OnnxMl.TensorShapeProto.Builder shape = OnnxMl.TensorShapeProto.newBuilder();
		for (long dim : dims) {
			shape.addDim((dim < 0) ? OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimParam("batch")
					: OnnxMl.TensorShapeProto.Dimension.newBuilder().setDimValue(dim));
		}
		return OnnxMl.ValueInfoProto.newBuilder()
			.setName(name)
			.setType(OnnxMl.TypeProto.newBuilder()
				.setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(type.getNumber()).setShape(shape)))
			.build();
	}

	private static OnnxMl.TensorProto floats(String name, long[] dims, float... values) {
		OnnxMl.TensorProto.Builder tensor = OnnxMl.TensorProto.newBuilder()
			.setName(name)
			.setDataType(DataType.FLOAT.getNumber());
		for (long dim : dims) {
			tensor.addDims(dim);
		}
		// Raw little-endian bytes: compact, and fast to parse for models of some size
		java.nio.ByteBuffer raw = java.nio.ByteBuffer.allocate(values.length * Float.BYTES)
			.order(java.nio.ByteOrder.LITTLE_ENDIAN);
		for (float value : values) {
			raw.putFloat(value);
		}
		return tensor.setRawData(com.google.protobuf.ByteString.copyFrom(raw.array())).build();
	}

}
