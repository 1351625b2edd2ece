package io.github.modelregistry.tensor;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * A model version's inputs and outputs by name, and the one check of a request against them: every input given
 * once, known, of its datatype and a shape its spec accepts, none missing, and only known outputs asked for. The
 * runtime checks each run with it, and the registry checks a request with it before queuing it for a batch, so that
 * both refuse the same requests with the same words.
 */
public final class TensorSignature {

	private final String model;

	private final Map<String, TensorSpec> inputs;

	private final Map<String, TensorSpec> outputs;

	/** Built once: read on every request that checks its inputs before it is decoded. */
	private final List<TensorSpec> inputList;

	private final List<TensorSpec> outputList;

	/**
	 * @param model the model's name, for messages
	 * @param inputs its inputs, in the model's order
	 * @param outputs its outputs, in the model's order
	 */
	public TensorSignature(String model, Collection<TensorSpec> inputs, Collection<TensorSpec> outputs) {
		this.model = model;
		this.inputs = byName(inputs);
		this.outputs = byName(outputs);
		this.inputList = List.copyOf(this.inputs.values());
		this.outputList = List.copyOf(this.outputs.values());
	}

	private static Map<String, TensorSpec> byName(Collection<TensorSpec> specs) {
		Map<String, TensorSpec> byName = new LinkedHashMap<>();
		specs.forEach((spec) -> byName.put(spec.name(), spec));
		return byName;
	}

	/**
	 * Returns the inputs, in the model's order.
	 */
	public List<TensorSpec> inputs() {
		return this.inputList;
	}

	/**
	 * Returns the outputs, in the model's order.
	 */
	public List<TensorSpec> outputs() {
		return this.outputList;
	}

	/**
	 * Returns the input of that name, or {@code null}.
	 */
	public @Nullable TensorSpec input(String name) {
		return this.inputs.get(name);
	}

	/**
	 * Checks a request against the signature.
	 * @param request the inputs, one per model input
	 * @param requestedOutputs the outputs asked for; all of them when empty
	 * @return the names of the outputs to return, in that order
	 * @throws InvalidTensorException naming what does not fit
	 */
	public Set<String> validate(Collection<Tensor> request, Collection<String> requestedOutputs) {
		Set<String> seen = new LinkedHashSet<>();
		for (Tensor input : request) {
			TensorSpec spec = this.inputs.get(input.name());
			if (spec == null) {
				throw new InvalidTensorException("Unknown input '" + input.name() + "' for model '"
						+ this.model + "'; its inputs are " + this.inputs.keySet());
			}
			if (!seen.add(input.name())) {
				throw new InvalidTensorException("Input '" + input.name() + "' is given more than once");
			}
			spec.requireFits(this.model, input.datatype(), input.shape());
		}
		for (String required : this.inputs.keySet()) {
			if (!seen.contains(required)) {
				throw new InvalidTensorException(
						"Missing input '" + required + "' for model '" + this.model + "'");
			}
		}
		if (requestedOutputs.isEmpty()) {
			return this.outputs.keySet();
		}
		Set<String> outputNames = new LinkedHashSet<>();
		for (String output : requestedOutputs) {
			if (!this.outputs.containsKey(output)) {
				throw new InvalidTensorException("Unknown output '" + output + "' for model '" + this.model
						+ "'; its outputs are " + this.outputs.keySet());
			}
			outputNames.add(output);
		}
		return outputNames;
	}

}
