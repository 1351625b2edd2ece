package io.github.modelregistry.test;

import java.util.Arrays;
import java.util.List;

import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;

/**
 * The stub models the tests serve.
 */
final class StubModels {

	/** A ranker: a batch of 4 features per row in, one score per row out. */
	static final StubModel.Spec RANKER = StubModel.spec("ranker")
		.version(3)
		.input("features", TensorDatatype.FP32, -1, 4)
		.output("score", TensorDatatype.FP32, -1, 1)
		.output("rank", TensorDatatype.INT64, -1, 1);

	private StubModels() {
	}

	/** Scores each row with the sum of its features; ranks rows by their order. */
	static StubModel summingRanker() {
		return StubModel.of(RANKER, (inputs) -> {
			Tensor features = inputs.get("features");
			float[] values = features.floats();
			int rows = (int) features.shape()[0];
			float[] scores = new float[rows];
			long[] ranks = new long[rows];
			for (int row = 0; row < rows; row++) {
				for (int i = 0; i < 4; i++) {
					scores[row] += values[row * 4 + i];
				}
				ranks[row] = row;
			}
			return List.of(Tensor.ofFloats("score", new long[] { rows, 1 }, scores),
					Tensor.ofLongs("rank", new long[] { rows, 1 }, ranks));
		});
	}

	/** A batch of rows, each row i holding i, i, i, i. */
	static Tensor rows(int count) {
		float[] values = new float[count * 4];
		for (int row = 0; row < count; row++) {
			Arrays.fill(values, row * 4, row * 4 + 4, row);
		}
		return Tensor.ofFloats("features", new long[] { count, 4 }, values);
	}

}
