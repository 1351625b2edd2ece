package io.github.modelregistry.sample.generator;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documented generator command reproduces the committed models byte for byte.
 */
class RestaurantModelGeneratorTests {

	@TempDir
	Path out;

	@Test
	void theCommittedModelsAreExactlyWhatTheGeneratorWrites() throws Exception {
		RestaurantModelGenerator.main(new String[] { "--sample", "--out", this.out.toString() });
		for (int version = 1; version <= 2; version++) {
			byte[] generated = Files.readAllBytes(this.out.resolve("restaurant-ranker/" + version + "/model.onnx"));
			byte[] committed = new ClassPathResource("models/restaurant-ranker/" + version + "/model.onnx")
				.getContentAsByteArray();
			assertThat(generated).as("version %d", version).isEqualTo(committed);
		}
	}

	@Test
	void largerModelsGrowWithWidthAndDepth() throws Exception {
		RestaurantModelGenerator.main(new String[] { "--out", this.out.toString(), "--name", "wide", "--hidden",
				"256,256" });
		long size = Files.size(this.out.resolve("wide/1/model.onnx"));
		// (40 × 256 + 256 × 256 + 256) weights and 513 biases, 4 bytes each
		assertThat(size).isBetween(4L * (40 * 256 + 256 * 256 + 256), 4L * (40 * 256 + 256 * 256 + 256) + 8192);
	}

	@Test
	void aucRanksPerfectAndInvertedScores() {
		float[] labels = { 0, 0, 1, 1 };
		assertThat(RestaurantModelGenerator.auc(new float[] { 0.1f, 0.2f, 0.8f, 0.9f }, labels)).isEqualTo(1.0);
		assertThat(RestaurantModelGenerator.auc(new float[] { 0.9f, 0.8f, 0.2f, 0.1f }, labels)).isEqualTo(0.0);
	}

}
