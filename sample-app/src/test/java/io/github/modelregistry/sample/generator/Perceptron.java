package io.github.modelregistry.sample.generator;

import java.util.SplittableRandom;

/**
 * A multilayer perceptron with sigmoid units, trained with Adam on binary cross-entropy. Small and plain on
 * purpose: it exists to give the sample model real, learned weights.
 * <p>
 * Layer {@code l} maps {@code sizes[l]} inputs to {@code sizes[l + 1]} outputs: {@code out = sigmoid(in · W + b)},
 * with {@code W} stored row-major as {@code [in][out]}, the layout ONNX's Gemm expects.
 */
final class Perceptron {

	final int[] sizes;

	final float[][] weights;

	final float[][] biases;

	Perceptron(int[] sizes, long seed) {
		this.sizes = sizes.clone();
		this.weights = new float[sizes.length - 1][];
		this.biases = new float[sizes.length - 1][];
		SplittableRandom random = new SplittableRandom(seed);
		for (int l = 0; l < sizes.length - 1; l++) {
			// Glorot-uniform initialisation
			double limit = Math.sqrt(6.0 / (sizes[l] + sizes[l + 1]));
			this.weights[l] = new float[sizes[l] * sizes[l + 1]];
			for (int i = 0; i < this.weights[l].length; i++) {
				this.weights[l][i] = (float) ((random.nextDouble() * 2 - 1) * limit);
			}
			this.biases[l] = new float[sizes[l + 1]];
		}
	}

	int layers() {
		return this.weights.length;
	}

	/**
	 * Scores {@code rows} rows of features.
	 */
	float[] predict(float[] features, int rows) {
		float[] scores = new float[rows];
		float[][] activations = activations();
		for (int r = 0; r < rows; r++) {
			forward(features, r * this.sizes[0], activations);
			scores[r] = activations[layers()][0];
		}
		return scores;
	}

	/**
	 * Trains with mini-batch Adam.
	 */
	void train(float[] features, float[] labels, int rows, int epochs, int batch, double learningRate, long seed) {
		SplittableRandom random = new SplittableRandom(seed);
		int[] order = new int[rows];
		for (int i = 0; i < rows; i++) {
			order[i] = i;
		}
		float[][] activations = activations();
		float[][] deltas = activations();
		double[][] gradW = new double[layers()][];
		double[][] gradB = new double[layers()][];
		Adam[] adamW = new Adam[layers()];
		Adam[] adamB = new Adam[layers()];
		for (int l = 0; l < layers(); l++) {
			gradW[l] = new double[this.weights[l].length];
			gradB[l] = new double[this.biases[l].length];
			adamW[l] = new Adam(this.weights[l].length);
			adamB[l] = new Adam(this.biases[l].length);
		}
		int step = 0;
		for (int epoch = 0; epoch < epochs; epoch++) {
			shuffle(order, random);
			for (int start = 0; start < rows; start += batch) {
				int end = Math.min(rows, start + batch);
				for (int l = 0; l < layers(); l++) {
					java.util.Arrays.fill(gradW[l], 0);
					java.util.Arrays.fill(gradB[l], 0);
				}
				for (int k = start; k < end; k++) {
					int row = order[k];
					forward(features, row * this.sizes[0], activations);
					// Sigmoid output with cross-entropy: the output delta is prediction - label
					deltas[layers()][0] = activations[layers()][0] - labels[row];
					for (int l = layers() - 1; l >= 0; l--) {
						int in = this.sizes[l];
						int out = this.sizes[l + 1];
						float[] input = (l == 0) ? null : activations[l];
						for (int j = 0; j < out; j++) {
							double delta = deltas[l + 1][j];
							gradB[l][j] += delta;
							for (int i = 0; i < in; i++) {
								double x = (l == 0) ? features[row * in + i] : input[i];
								gradW[l][i * out + j] += delta * x;
							}
						}
						if (l > 0) {
							for (int i = 0; i < in; i++) {
								double sum = 0;
								for (int j = 0; j < out; j++) {
									sum += this.weights[l][i * out + j] * deltas[l + 1][j];
								}
								double a = activations[l][i];
								deltas[l][i] = (float) (sum * a * (1 - a));
							}
						}
					}
				}
				step++;
				double scale = 1.0 / (end - start);
				for (int l = 0; l < layers(); l++) {
					adamW[l].update(this.weights[l], gradW[l], scale, learningRate, step);
					adamB[l].update(this.biases[l], gradB[l], scale, learningRate, step);
				}
			}
		}
	}

	private float[][] activations() {
		float[][] activations = new float[this.sizes.length][];
		for (int l = 0; l < this.sizes.length; l++) {
			activations[l] = new float[this.sizes[l]];
		}
		return activations;
	}

	private void forward(float[] features, int offset, float[][] activations) {
		System.arraycopy(features, offset, activations[0], 0, this.sizes[0]);
		for (int l = 0; l < layers(); l++) {
			int in = this.sizes[l];
			int out = this.sizes[l + 1];
			for (int j = 0; j < out; j++) {
				double sum = this.biases[l][j];
				for (int i = 0; i < in; i++) {
					sum += activations[l][i] * this.weights[l][i * out + j];
				}
				activations[l + 1][j] = (float) (1 / (1 + Math.exp(-sum)));
			}
		}
	}

	private static void shuffle(int[] order, SplittableRandom random) {
		for (int i = order.length - 1; i > 0; i--) {
			int j = random.nextInt(i + 1);
			int swap = order[i];
			order[i] = order[j];
			order[j] = swap;
		}
	}

	/**
	 * Adam's running moments for one parameter array.
	 */
	private static final class Adam {

		private static final double BETA1 = 0.9;

		private static final double BETA2 = 0.999;

		private final double[] m;

		private final double[] v;

		Adam(int size) {
			this.m = new double[size];
			this.v = new double[size];
		}

		void update(float[] parameters, double[] gradients, double scale, double learningRate, int step) {
			double correction1 = 1 - Math.pow(BETA1, step);
			double correction2 = 1 - Math.pow(BETA2, step);
			for (int i = 0; i < parameters.length; i++) {
				double g = gradients[i] * scale;
				this.m[i] = BETA1 * this.m[i] + (1 - BETA1) * g;
				this.v[i] = BETA2 * this.v[i] + (1 - BETA2) * g * g;
				parameters[i] -= (float) (learningRate * (this.m[i] / correction1)
						/ (Math.sqrt(this.v[i] / correction2) + 1e-8));
			}
		}

	}

}
