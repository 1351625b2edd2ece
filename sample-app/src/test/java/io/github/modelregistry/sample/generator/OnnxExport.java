package io.github.modelregistry.sample.generator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import ai.onnx.proto.OnnxMl;
import org.tribuo.util.onnx.ONNXContext;
import org.tribuo.util.onnx.ONNXInitializer;
import org.tribuo.util.onnx.ONNXOperators;
import org.tribuo.util.onnx.ONNXPlaceholder;
import org.tribuo.util.onnx.ONNXRef;

/**
 * Writes a {@link Perceptron} as an ONNX model with Tribuo's ONNX builder: input {@code features} FP32
 * [-1, inputs], output {@code score} FP32 [-1, 1], one {@code Gemm} and {@code Sigmoid} per layer.
 */
final class OnnxExport {

	private OnnxExport() {
	}

	static byte[] toOnnx(Perceptron perceptron, String name, String description) {
		ONNXContext context = new ONNXContext();
		context.setName(name);
		ONNXPlaceholder features = context.floatInput("features", perceptron.sizes[0]);
		ONNXPlaceholder score = context.floatOutput("score", 1);
		ONNXRef<?> layer = features;
		for (int l = 0; l < perceptron.layers(); l++) {
			int in = perceptron.sizes[l];
			int out = perceptron.sizes[l + 1];
			float[] weights = perceptron.weights[l];
			ONNXInitializer w = context.floatTensor("w" + l, List.of(in, out), (buffer) -> buffer.put(weights));
			ONNXInitializer b = context.array("b" + l, perceptron.biases[l]);
			layer = layer.apply(ONNXOperators.GEMM, List.of(w, b)).apply(ONNXOperators.SIGMOID);
		}
		layer.assignTo(score);
		return OnnxMl.ModelProto.newBuilder()
			.setIrVersion(8)
			.setProducerName("model-registry sample generator")
			.setDomain("io.github.modelregistry")
			.setModelVersion(1)
			.setDocString(description)
			.addOpsetImport(ONNXOperators.getOpsetProto())
			.setGraph(context.buildGraph())
			.build()
			.toByteArray();
	}

	static Path write(Path base, String name, long version, byte[] model) throws IOException {
		Path folder = Files.createDirectories(base.resolve(name).resolve(Long.toString(version)));
		return Files.write(folder.resolve("model.onnx"), model);
	}

}
