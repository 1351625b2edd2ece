package io.github.modelregistry.test;

import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.tensor.Tensor;

/**
 * Entry point of the AssertJ assertions for what a {@link io.github.modelregistry.registry.ModelRegistry} answers:
 * <pre>{@code
 * assertThat(result).hasVersion(2).output("score").hasShape(10, 1).floats().allSatisfy(...);
 * }</pre>
 * Import its {@code assertThat} methods statically beside AssertJ's own.
 */
public final class ModelRegistryAssertions {

	private ModelRegistryAssertions() {
	}

	/**
	 * Assertions on an inference's answer.
	 */
	public static InferenceResultAssert assertThat(InferenceResult actual) {
		return new InferenceResultAssert(actual);
	}

	/**
	 * Assertions on a tensor.
	 */
	public static TensorAssert assertThat(Tensor actual) {
		return new TensorAssert(actual);
	}

}
