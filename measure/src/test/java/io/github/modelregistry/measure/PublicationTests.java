package io.github.modelregistry.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class PublicationTests {

	@Test
	void replaceHeadlineReplacesOnlyWhatIsBetweenTheMarkers() {
		String document = "# Measurements\n\nbefore\n<!-- headline:begin: old text -->\n| old |\n<!-- headline:end -->\nafter\n";
		String replaced = Publication.replaceHeadline(document, "| new |\n");
		assertThat(replaced).isEqualTo("# Measurements\n\nbefore\n" + Publication.BEGIN + "\n| new |\n"
				+ Publication.END + "\nafter\n");
		// Idempotent: the markers stay where they were
		assertThat(Publication.replaceHeadline(replaced, "| new |\n")).isEqualTo(replaced);
	}

	@Test
	void replaceHeadlineFailsWithoutMarkers() {
		assertThatIllegalStateException().isThrownBy(() -> Publication.replaceHeadline("# nothing here", "x"))
			.withMessageContaining("headline markers");
	}

	@Test
	void aRunSurvivesItsRawLine() {
		Run run = new Run(3, "sample@HEAD", "V2 infer", 123456, 0, 10.002, 2.5, 7.125,
				java.util.Map.of("http", 900L, "inference", 300L, "schedulers", 1L, "gc", 20L, "jit", 5L, "other", 2L));
		Run back = Run.parse(run.tsv());
		assertThat(back.round()).isEqualTo(3);
		assertThat(back.variant()).isEqualTo("sample@HEAD");
		assertThat(back.requests()).isEqualTo(123456);
		assertThat(back.p99Ms()).isEqualTo(7.125);
		assertThat(back.totalTicks()).isEqualTo(1228);
		assertThat(Run.HEADER.split("\t")).hasSize(run.tsv().split("\t").length);
	}

}
