package io.github.modelregistry.test;

import java.util.List;

import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import org.junit.jupiter.api.Test;

import static io.github.modelregistry.test.ModelRegistryAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link StubModel} on its own: it checks requests as a real model does and its answers against its own spec.
 */
class StubModelTests {

	@Test
	void declaresItsSpecAndComputesItsAnswer() {
		StubModel model = StubModels.summingRanker();
		assertThat(model.name()).isEqualTo("ranker");
		assertThat(model.version()).isEqualTo(3);
		assertThat(model.inputs()).singleElement().satisfies((input) -> {
			assertThat(input.datatype()).isEqualTo(TensorDatatype.FP32);
			assertThat(input.shape()).containsExactly(-1, 4);
		});
		List<Tensor> outputs = model.run(List.of(StubModels.rows(3)), List.of());
		assertThat(outputs).extracting(Tensor::name).containsExactly("score", "rank");
		assertThat(outputs.get(0)).hasShape(3, 1).floats().containsExactly(0f, 4f, 8f);
		assertThat(model.runs()).isEqualTo(1);
	}

	@Test
	void returnsOnlyTheOutputsAskedFor() {
		List<Tensor> outputs = StubModels.summingRanker().run(List.of(StubModels.rows(2)), List.of("rank"));
		assertThat(outputs).singleElement().satisfies((rank) -> assertThat(rank).hasName("rank").longs()
			.containsExactly(0, 1));
	}

	@Test
	void refusesRequestsThatDoNotFitAsARealModelDoes() {
		StubModel model = StubModels.summingRanker();
		assertThatThrownBy(() -> model.run(List.of(Tensor.ofFloats("features", new long[] { 1, 3 }, 1, 2, 3)),
				List.of()))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessageContaining("features");
		assertThatThrownBy(() -> model.run(List.of(Tensor.ofInts("features", new long[] { 1, 4 }, 1, 2, 3, 4)),
				List.of()))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessageContaining("INT32");
		assertThatThrownBy(() -> model.run(List.of(), List.of()))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessage("Missing input 'features' for model 'ranker'");
		assertThatThrownBy(() -> model.run(List.of(StubModels.rows(1)), List.of("nope")))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessageContaining("Unknown output 'nope'");
		assertThat(model.runs()).isZero();
	}

	@Test
	void anAnswerThatDriftsFromTheSpecFailsTheRun() {
		StubModel undeclared = StubModel.of(StubModels.RANKER,
				(inputs) -> List.of(Tensor.ofFloats("scores", new long[] { 1, 1 }, 1f)));
		assertThatIllegalStateException().isThrownBy(() -> undeclared.run(List.of(StubModels.rows(1)), List.of()))
			.withMessageContaining("answered output 'scores', which it does not declare");
		StubModel wrongShape = StubModel.of(StubModels.RANKER,
				(inputs) -> List.of(Tensor.ofFloats("score", new long[] { 1, 2 }, 1f, 2f)));
		assertThatIllegalStateException().isThrownBy(() -> wrongShape.run(List.of(StubModels.rows(1)), List.of()))
			.withMessageContaining("as FP32[1, 2], but declares it as FP32[-1, 1]");
		StubModel missing = StubModel.of(StubModels.RANKER,
				(inputs) -> List.of(Tensor.ofFloats("score", new long[] { 1, 1 }, 1f)));
		assertThatIllegalStateException().isThrownBy(() -> missing.run(List.of(StubModels.rows(1)), List.of()))
			.withMessageContaining("did not answer output 'rank'");
		assertThat(missing.run(List.of(StubModels.rows(1)), List.of("score"))).hasSize(1);
	}

	@Test
	void aTableAnswersTheRowsItHoldsAndRefusesOthers() {
		Tensor score = Tensor.ofFloats("score", new long[] { 2, 1 }, 0.9f, 0.1f);
		Tensor rank = Tensor.ofLongs("rank", new long[] { 2, 1 }, 0, 1);
		StubModel table = StubModel.table(StubModels.RANKER)
			.answer(List.of(StubModels.rows(2)), List.of(score, rank))
			.build();
		assertThat(table.run(List.of(StubModels.rows(2)), List.of("score"))).containsExactly(score);
		assertThatThrownBy(() -> table.run(List.of(StubModels.rows(3)), List.of()))
			.isInstanceOf(InvalidTensorException.class)
			.hasMessage("Stub model 'ranker' has no answer in its table for Tensor[features FP32[3, 4]] (1 row(s))");
		Tensor sameShapeOtherValues = Tensor.ofFloats("features", new long[] { 2, 4 }, new float[8]);
		assertThatThrownBy(() -> table.run(List.of(sameShapeOtherValues), List.of()))
			.isInstanceOf(InvalidTensorException.class);
	}

	@Test
	void refusesASpecWithoutInputsOrOutputs() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> StubModel.of(StubModel.spec("empty").output("y", TensorDatatype.FP32, 1),
					(inputs) -> List.of()))
			.withMessage("Stub model 'empty' needs at least one input and one output");
		assertThatIllegalArgumentException().isThrownBy(() -> StubModel.spec("v").version(0));
	}

	@Test
	void refusesToRunOnceClosed() {
		StubModel model = StubModels.summingRanker();
		model.close();
		assertThat(model.isClosed()).isTrue();
		assertThatIllegalStateException().isThrownBy(() -> model.run(List.of(StubModels.rows(1)), List.of()))
			.withMessage("Stub model 'ranker' is closed");
	}

}
