package io.github.modelregistry.test;

import java.util.Arrays;

import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import org.assertj.core.api.AbstractAssert;
import org.assertj.core.api.AbstractBooleanArrayAssert;
import org.assertj.core.api.AbstractDoubleArrayAssert;
import org.assertj.core.api.AbstractFloatArrayAssert;
import org.assertj.core.api.AbstractIntArrayAssert;
import org.assertj.core.api.AbstractLongArrayAssert;
import org.assertj.core.api.Assertions;

/**
 * AssertJ assertions on a {@link Tensor}: its name, datatype and shape here, its values through AssertJ's own array
 * assertions ({@link #floats()} and the like), so that every AssertJ array check applies:
 * {@code output("score").hasShape(10, 1).floats().containsExactly(...)}.
 */
public final class TensorAssert extends AbstractAssert<TensorAssert, Tensor> {

	TensorAssert(Tensor actual) {
		super(actual, TensorAssert.class);
	}

	/**
	 * Verifies the tensor's name.
	 */
	public TensorAssert hasName(String name) {
		isNotNull();
		if (!this.actual.name().equals(name)) {
			failWithActualExpectedAndMessage(this.actual.name(), name, "Expected tensor <%s> to be named <%s>",
					this.actual, name);
		}
		return this;
	}

	/**
	 * Verifies the tensor's datatype.
	 */
	public TensorAssert hasDatatype(TensorDatatype datatype) {
		isNotNull();
		if (this.actual.datatype() != datatype) {
			failWithActualExpectedAndMessage(this.actual.datatype(), datatype,
					"Expected tensor <%s> to be of datatype <%s>", this.actual, datatype);
		}
		return this;
	}

	/**
	 * Verifies the tensor's shape, dimension by dimension.
	 */
	public TensorAssert hasShape(long... shape) {
		isNotNull();
		if (!Arrays.equals(this.actual.shape(), shape)) {
			failWithActualExpectedAndMessage(Arrays.toString(this.actual.shape()), Arrays.toString(shape),
					"Expected tensor <%s> to have shape <%s>", this.actual, Arrays.toString(shape));
		}
		return this;
	}

	/**
	 * Verifies that the tensor is {@code FP32} and returns AssertJ's assertions on its values, row-major.
	 */
	public AbstractFloatArrayAssert<?> floats() {
		return Assertions.assertThat(values(TensorDatatype.FP32).floats()).as("values of %s", this.actual);
	}

	/**
	 * Verifies that the tensor is {@code FP64} and returns AssertJ's assertions on its values, row-major.
	 */
	public AbstractDoubleArrayAssert<?> doubles() {
		return Assertions.assertThat(values(TensorDatatype.FP64).doubles()).as("values of %s", this.actual);
	}

	/**
	 * Verifies that the tensor is {@code INT32} and returns AssertJ's assertions on its values, row-major.
	 */
	public AbstractIntArrayAssert<?> ints() {
		return Assertions.assertThat(values(TensorDatatype.INT32).ints()).as("values of %s", this.actual);
	}

	/**
	 * Verifies that the tensor is {@code INT64} and returns AssertJ's assertions on its values, row-major.
	 */
	public AbstractLongArrayAssert<?> longs() {
		return Assertions.assertThat(values(TensorDatatype.INT64).longs()).as("values of %s", this.actual);
	}

	/**
	 * Verifies that the tensor is {@code BOOL} and returns AssertJ's assertions on its values, row-major.
	 */
	public AbstractBooleanArrayAssert<?> booleans() {
		return Assertions.assertThat(values(TensorDatatype.BOOL).booleans()).as("values of %s", this.actual);
	}

	/**
	 * Returns AssertJ's assertions on the values of a tensor of any numeric datatype, widened to doubles.
	 */
	public AbstractDoubleArrayAssert<?> asDoubles() {
		isNotNull();
		return Assertions.assertThat(this.actual.asDoubles()).as("values of %s", this.actual);
	}

	private Tensor values(TensorDatatype datatype) {
		hasDatatype(datatype);
		return this.actual;
	}

}
