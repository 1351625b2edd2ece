package io.github.modelregistry.sample.generator;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import io.github.modelregistry.sample.RecommendationService;
import io.github.modelregistry.sample.RestaurantFeatures;

/**
 * Generates the sample app's restaurant-ranking models, and larger synthetic models for benchmarks.
 * <p>
 * The sample models are perceptrons trained on {@link SyntheticDiners}: 40 features per (user, restaurant) pair, a
 * score in [0, 1]. Version 1 is small and briefly trained, version 2 larger and trained longer, so they score the
 * same pair differently. Everything is seeded: the same arguments write the same bytes.
 * <pre>
 * --sample --out DIR                    versions 1 and 2 of restaurant-ranker under DIR (the committed models)
 * --out DIR --name N --version V --hidden 1024,1024 [--seed S]
 *                                       a model with random weights and the given hidden layers, for benchmarks
 * </pre>
 * Run through Maven: {@code ./mvnw -pl sample-app -am -Pgenerate-models process-test-classes
 * -Dgenerator.args="..."}.
 */
public final class RestaurantModelGenerator {

	private static final int TRAIN = 40_000;

	private static final int TEST = 10_000;

	private RestaurantModelGenerator() {
	}

	public static void main(String[] args) throws Exception {
		List<String> arguments = List.of(args);
		Path out = Path.of(value(arguments, "--out", "models"));
		if (arguments.contains("--sample")) {
			writeSample(out);
			return;
		}
		String name = value(arguments, "--name", "synthetic");
		long version = Long.parseLong(value(arguments, "--version", "1"));
		int[] hidden = Arrays.stream(value(arguments, "--hidden", "1024,1024").split(","))
			.mapToInt(Integer::parseInt)
			.toArray();
		long seed = Long.parseLong(value(arguments, "--seed", "42"));
		Perceptron perceptron = new Perceptron(sizes(hidden), seed);
		byte[] model = OnnxExport.toOnnx(perceptron, name,
				"Random weights, hidden layers " + Arrays.toString(hidden) + ", seed " + seed);
		Path file = OnnxExport.write(out, name, version, model);
		System.out.printf("Wrote %s (%d bytes, hidden layers %s)%n", file, model.length, Arrays.toString(hidden));
	}

	static void writeSample(Path out) throws Exception {
		float[] trainFeatures = new float[TRAIN * RestaurantFeatures.COUNT];
		float[] trainLabels = new float[TRAIN];
		new SyntheticDiners(2024).draw(TRAIN, trainFeatures, trainLabels);
		float[] testFeatures = new float[TEST * RestaurantFeatures.COUNT];
		float[] testLabels = new float[TEST];
		new SyntheticDiners(7).draw(TEST, testFeatures, testLabels);

		Perceptron first = new Perceptron(sizes(new int[] { 8 }), 1);
		first.train(trainFeatures, trainLabels, TRAIN, 1, 64, 0.01, 1);
		write(out, 1, first, "hidden [8], 1 epoch", testFeatures, testLabels);

		Perceptron second = new Perceptron(sizes(new int[] { 32, 16 }), 2);
		second.train(trainFeatures, trainLabels, TRAIN, 8, 64, 0.005, 2);
		write(out, 2, second, "hidden [32, 16], 8 epochs", testFeatures, testLabels);
	}

	private static void write(Path out, long version, Perceptron perceptron, String training, float[] testFeatures,
			float[] testLabels) throws Exception {
		double auc = auc(perceptron.predict(testFeatures, testLabels.length), testLabels);
		String description = String.format("Restaurant ranking: P(user likes restaurant) from %d features (%s). "
				+ "Trained on %d synthetic pairs, %s; held-out AUC %.3f.", RestaurantFeatures.COUNT,
				String.join(", ", RestaurantFeatures.NAMES), TRAIN, training, auc);
		byte[] model = OnnxExport.toOnnx(perceptron, RecommendationService.MODEL, description);
		Path file = OnnxExport.write(out, RecommendationService.MODEL, version, model);
		System.out.printf("Wrote %s (%d bytes): %s, held-out AUC %.3f%n", file, model.length, training, auc);
	}

	private static int[] sizes(int[] hidden) {
		int[] sizes = new int[hidden.length + 2];
		sizes[0] = RestaurantFeatures.COUNT;
		System.arraycopy(hidden, 0, sizes, 1, hidden.length);
		sizes[sizes.length - 1] = 1;
		return sizes;
	}

	/**
	 * Area under the ROC curve: the probability that a random positive scores above a random negative.
	 */
	static double auc(float[] scores, float[] labels) {
		Integer[] order = new Integer[scores.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, (a, b) -> Float.compare(scores[a], scores[b]));
		double rankSum = 0;
		long positives = 0;
		for (int rank = 0; rank < order.length; rank++) {
			if (labels[order[rank]] > 0.5f) {
				rankSum += rank + 1;
				positives++;
			}
		}
		long negatives = scores.length - positives;
		return (rankSum - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
	}

	private static String value(List<String> arguments, String option, String fallback) {
		int index = arguments.indexOf(option);
		return (index >= 0 && index + 1 < arguments.size()) ? arguments.get(index + 1) : fallback;
	}

}
