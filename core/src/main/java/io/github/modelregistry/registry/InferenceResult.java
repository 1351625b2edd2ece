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

	/**
	 * Returns the output of that name.
	 * @param name the output's name, as the model's signature gives it
	 * @return the output
	 * @throws IllegalArgumentException if this result holds no output of that name, naming those it holds
	 */
	public Tensor output(String name) {
		for (Tensor output : this.outputs) {
			if (output.name().equals(name)) {
				return output;
			}
		}
		throw new IllegalArgumentException("Model '" + this.model + "' answered no output '" + name + "'; outputs: "
				+ this.outputs.stream().map(Tensor::name).toList());
	}

}
