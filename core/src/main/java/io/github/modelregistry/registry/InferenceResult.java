package io.github.modelregistry.registry;

import java.util.List;

import io.github.modelregistry.tensor.Tensor;

/**
 * The outputs of one inference, with the model version that produced them.
 *
 * @param model the model name
 * @param version the version that ran
 * @param outputs the outputs, in the order requested
 */
public record InferenceResult(String model, long version, List<Tensor> outputs) {

	public InferenceResult {
		outputs = List.copyOf(outputs);
	}

}
