package io.github.modelregistry.pipeline;

import java.util.List;
import java.util.Map;

import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Grouping a padded batch's rows by length: the lengths read from the mask, groups whose rows are padded by no
 * more than the tolerance, each group's tensors cut to its longest row, and the answers put back in row order.
 */
class LengthGroupsTests {

	@Test
	void aRowsLengthIsOnePastItsLastRealToken() {
		Tensor mask = Tensor.ofLongs("attention_mask", new long[] { 3, 4 }, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0);
		assertThat(LengthGroups.lengths(mask)).containsExactly(4, 2, 0);
	}

	@Test
	void groupsKeepEveryRowWithinTheToleranceOfItsGroupsShortest() {
		int[] lengths = { 100, 10, 12, 80, 11, 95, 13 };
		List<LengthGroups.Group> groups = LengthGroups.group(lengths, 0.25);
		// 10, 11, 12 (≤ 12.5); 13; 80, 95, 100 (≤ 100)
		assertThat(groups).extracting(LengthGroups.Group::length).containsExactly(12, 13, 100);
		assertThat(groups.get(0).rows()).containsExactly(1, 4, 2);
		assertThat(groups.get(2).rows()).containsExactly(3, 5, 0);
		// No tolerance: equal lengths only, or one more token
		assertThat(LengthGroups.group(new int[] { 5, 5, 6, 9 }, 0)).extracting(LengthGroups.Group::length)
			.containsExactly(6, 9);
		assertThat(LengthGroups.group(new int[] { 0, 0 }, 0.25)).singleElement()
			.extracting(LengthGroups.Group::length)
			.isEqualTo(1);
	}

	@Test
	void aGroupsRowsAreCutToItsLengthAndRowAlignedTensorsTakenWhole() {
		LengthGroups.Group group = new LengthGroups.Group(new int[] { 2, 0 }, 2);
		Tensor ids = Tensor.ofLongs("input_ids", new long[] { 3, 4 }, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12);
		assertThat(LengthGroups.rows(ids, group, 4).shape()).containsExactly(2, 2);
		assertThat(LengthGroups.rows(ids, group, 4).longs()).containsExactly(9, 10, 1, 2);
		Tensor states = Tensor.ofFloats("states", new long[] { 3, 4, 2 }, new float[24]);
		assertThat(LengthGroups.rows(states, group, 4).shape()).containsExactly(2, 2, 2);
		Tensor text = Tensor.of("text", new String[] { "first", "", "third" });
		assertThat(LengthGroups.rows(text, group, 4).strings()).containsExactly("third", "first");
	}

	@Test
	void answersAreGatheredBackInRowOrder() {
		List<LengthGroups.Group> groups = List.of(new LengthGroups.Group(new int[] { 1, 2 }, 3),
				new LengthGroups.Group(new int[] { 0 }, 9));
		List<Map<String, Tensor>> answers = List.of(
				Map.of("embedding", Tensor.ofFloats("embedding", new long[] { 2, 2 }, 1, 1, 2, 2), "label",
						Tensor.of("label", new String[] { "one", "two" })),
				Map.of("embedding", Tensor.ofFloats("embedding", new long[] { 1, 2 }, 0, 0), "label",
						Tensor.of("label", new String[] { "zero" })));
		assertThat(LengthGroups.gather("embedding", groups, answers, 3).floats()).containsExactly(0, 0, 1, 1, 2, 2);
		assertThat(LengthGroups.gather("label", groups, answers, 3).strings()).containsExactly("zero", "one", "two");
	}

}
