package io.github.modelregistry.test;

import java.util.List;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.tensor.Tensor;
import org.assertj.core.api.AbstractAssert;

/**
 * AssertJ assertions on an {@link InferenceResult}: which model and version answered, which outputs it holds, and
 * each output through {@link #output(String)}.
 */
public final class InferenceResultAssert extends AbstractAssert<InferenceResultAssert, InferenceResult> {

	InferenceResultAssert(InferenceResult actual) {
		super(actual, InferenceResultAssert.class);
	}

	/**
	 * Verifies that the named model answered.
	 */
	public InferenceResultAssert hasModel(String model) {
		isNotNull();
		if (!this.actual.model().equals(model)) {
			failWithActualExpectedAndMessage(this.actual.model(), model,
					"Expected the answer to come from model <%s> but it came from <%s>", model, this.actual.model());
		}
		return this;
	}

	/**
	 * Verifies that this version answered.
	 */
	public InferenceResultAssert hasVersion(long version) {
		isNotNull();
		if (this.actual.version() != version) {
			failWithActualExpectedAndMessage(this.actual.version(), version,
					"Expected the answer to come from version <%s> of model <%s> but it came from version <%s>",
					version, this.actual.model(), this.actual.version());
		}
		return this;
	}

	/**
	 * Verifies the answer's outputs, by name, in order.
	 */
	public InferenceResultAssert hasOutputs(String... names) {
		isNotNull();
		List<String> actualNames = this.actual.outputs().stream().map(Tensor::name).toList();
		if (!actualNames.equals(List.of(names))) {
			failWithActualExpectedAndMessage(actualNames, List.of(names),
					"Expected the answer's outputs to be <%s> but they were <%s>", List.of(names), actualNames);
		}
		return this;
	}

	/**
	 * Verifies that the answer holds the named output and returns assertions on it.
	 */
	public TensorAssert output(String name) {
		isNotNull();
		for (Tensor output : this.actual.outputs()) {
			if (output.name().equals(name)) {
				return new TensorAssert(output);
			}
		}
		failWithMessage("Expected the answer of model <%s> to hold output <%s> but its outputs were <%s>",
				this.actual.model(), name, this.actual.outputs().stream().map(Tensor::name).toList());
		throw new AssertionError("unreachable");
	}

}
