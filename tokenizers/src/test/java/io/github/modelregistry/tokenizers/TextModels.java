package io.github.modelregistry.tokenizers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The public text models the tests run: all-MiniLM-L6-v2, quantized ({@link #QUANTIZED}, 23 MB) and not
 * ({@link #FULL}, 90 MB), each with its {@code tokenizer.json}, taken from LangChain4j's Maven artifacts, which the
 * build unpacks into {@code target/text-models/} (nothing is committed).
 */
final class TextModels {

	/** The quantized network: int8 weights, activations quantized per run (DynamicQuantizeLinear) */
	static final String QUANTIZED = "all-minilm-l6-v2-q";

	/** The same network in FP32 */
	static final String FULL = "all-minilm-l6-v2";

	private TextModels() {
	}

	/**
	 * Writes {@code <base>/<name>/<version>/model.onnx} and {@code tokenizer.json} from an unpacked artifact.
	 * @return the model's folder
	 */
	static Path minilm(Path base, String name, long version, String artifactName) {
		try {
			Path artifact = Path.of(System.getProperty("text-models.directory", "target/text-models"), artifactName);
			Path folder = Files.createDirectories(base.resolve(name).resolve(Long.toString(version)));
			Files.copy(find(artifact, ".onnx"), folder.resolve("model.onnx"));
			Files.copy(find(artifact, "tokenizer.json"), folder.resolve("tokenizer.json"));
			return base.resolve(name);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Path find(Path artifact, String suffix) throws IOException {
		try (Stream<Path> files = Files.walk(artifact)) {
			List<Path> found = files.filter((p) -> p.getFileName().toString().endsWith(suffix)).toList();
			if (found.size() != 1) {
				throw new IllegalStateException("Expected one *" + suffix + " in " + artifact + ", found " + found
						+ " (the build unpacks LangChain4j's artifact there)");
			}
			return found.get(0);
		}
	}

	/** Cosine similarity of two vectors */
	static double cosine(float[] a, float[] b) {
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += (double) a[i] * b[i];
			na += (double) a[i] * a[i];
			nb += (double) b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

}
