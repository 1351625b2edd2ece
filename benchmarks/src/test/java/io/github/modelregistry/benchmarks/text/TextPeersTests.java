package io.github.modelregistry.benchmarks.text;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TextPeersTests {

	@Test
	void theCorpusIsFixedAndOfMixedLength() {
		List<String> corpus = TextPeers.corpus(TextPeers.CORPUS, 42);
		assertThat(corpus).hasSize(256).isEqualTo(TextPeers.corpus(256, 42));
		int shortest = corpus.stream().mapToInt((s) -> s.split(" ").length).min().orElseThrow();
		int longest = corpus.stream().mapToInt((s) -> s.split(" ").length).max().orElseThrow();
		assertThat(shortest).isBetween(4, 10);
		assertThat(longest).isBetween(85, 94);
	}

	@Test
	void percentilesAreNearestRank() {
		long[] sorted = new long[100];
		for (int i = 0; i < sorted.length; i++) {
			sorted[i] = i + 1;
		}
		assertThat(TextPeers.percentile(sorted, 0.50)).isEqualTo(50);
		assertThat(TextPeers.percentile(sorted, 0.99)).isEqualTo(99);
		assertThat(TextPeers.percentile(new long[] { 7 }, 0.99)).isEqualTo(7);
		assertThat(TextPeers.percentile(new long[0], 0.5)).isZero();
	}

	@Test
	void cosineOfAVectorWithItselfIsOneAndWithItsOppositeMinusOne() {
		float[] v = { 0.5f, -1, 2 };
		assertThat(TextPeers.cosine(v, v)).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-9));
		assertThat(TextPeers.cosine(v, new float[] { -0.5f, 1, -2 })).isCloseTo(-1,
				org.assertj.core.data.Offset.offset(1e-9));
	}

}
