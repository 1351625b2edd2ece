package io.github.modelregistry.measure;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryTests {

	@Test
	void medianOfAnOddCountIsTheMiddleValue() {
		Summary summary = Summary.of(List.of(5.0, 1.0, 3.0, 9.0, 7.0));
		assertThat(summary.median()).isEqualTo(5.0);
		assertThat(summary.min()).isEqualTo(1.0);
		assertThat(summary.max()).isEqualTo(9.0);
		assertThat(summary.count()).isEqualTo(5);
	}

	@Test
	void medianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() {
		assertThat(Summary.of(List.of(4.0, 1.0, 2.0, 10.0)).median()).isEqualTo(3.0);
	}

	@Test
	void formatShowsTheMedianAndItsSpread() {
		assertThat(Summary.of(List.of(0.81, 0.92, 0.67)).format(2)).isEqualTo("0.81 [0.67–0.92]");
		assertThat(Summary.of(List.of()).format(2)).isEqualTo("–");
	}

	@Test
	void containsIsInclusiveOfTheSpread() {
		Summary summary = Summary.of(List.of(1.0, 2.0));
		assertThat(summary.contains(1.0)).isTrue();
		assertThat(summary.contains(2.0)).isTrue();
		assertThat(summary.contains(2.01)).isFalse();
	}

}
