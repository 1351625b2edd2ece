package io.github.modelregistry.tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A model input or output: its name, element type and shape, with {@code -1} for a dynamic dimension.
 *
 * @param name the input or output name
 * @param datatype the element type
 * @param shape the dimensions, {@code -1} where any size is accepted
 */
public record TensorSpec(String name, TensorDatatype datatype, long[] shape) {

	public TensorSpec {
		shape = shape.clone();
	}

	@Override
	public long[] shape() {
		return this.shape.clone();
	}

	/**
	 * Whether a tensor of the given shape fits this spec: same rank, and equal sizes where this spec is fixed.
	 */
	public boolean accepts(long[] candidate) {
		if (candidate.length != this.shape.length) {
			return false;
		}
		for (int i = 0; i < candidate.length; i++) {
			if (this.shape[i] >= 0 && this.shape[i] != candidate[i]) {
				return false;
			}
		}
		return true;
	}

	/**
	 * Checks that a tensor of this spec's name fits it: the same datatype, and a shape this spec
	 * {@linkplain #accepts(long[]) accepts}.
	 * @param model the model's name, for the message
	 * @throws InvalidTensorException naming what does not fit
	 */
	public void requireFits(String model, TensorDatatype candidateDatatype, long[] candidateShape) {
		if (candidateDatatype != this.datatype) {
			throw new InvalidTensorException("Input '" + this.name + "' has datatype " + candidateDatatype
					+ " but model '" + model + "' expects " + this.datatype);
		}
		if (!accepts(candidateShape)) {
			throw new InvalidTensorException("Input '" + this.name + "' has shape " + Arrays.toString(candidateShape)
					+ " but model '" + model + "' expects " + Arrays.toString(this.shape) + " (-1: any size)");
		}
	}

	/**
	 * Checks a declared input against the inputs a model takes: it must be one of them, with a datatype and shape
	 * that fit.
	 * @param model the model's name, for the message
	 * @param inputs the model's inputs
	 * @throws InvalidTensorException naming what does not fit, or the model's inputs when the name is not one
	 */
	public static void requireInput(String model, List<TensorSpec> inputs, String name, TensorDatatype datatype,
			long[] shape) {
		for (TensorSpec spec : inputs) {
			if (spec.name().equals(name)) {
				spec.requireFits(model, datatype, shape);
				return;
			}
		}
		throw new InvalidTensorException("Unknown input '" + name + "' for model '" + model + "'; its inputs are "
				+ inputs.stream().map(TensorSpec::name).toList());
	}

	@Override
	public boolean equals(Object other) {
		return (other instanceof TensorSpec that) && this.name.equals(that.name) && this.datatype == that.datatype
				&& Arrays.equals(this.shape, that.shape);
	}

	@Override
	public int hashCode() {
		return 31 * (31 * this.name.hashCode() + this.datatype.hashCode()) + Arrays.hashCode(this.shape);
	}

	@Override
	public String toString() {
		return this.name + " " + this.datatype + Arrays.toString(this.shape);
	}

}
