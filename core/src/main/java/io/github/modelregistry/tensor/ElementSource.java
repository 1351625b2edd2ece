package io.github.modelregistry.tensor;

/**
 * Where {@link TensorDatatype#read} takes one element from: a request parser, a test, any other format. Each
 * datatype asks for the kind of value it stores, exactly once per element, and narrows it; the source checks what
 * it can only know itself (that the value is of that kind, and within range) and raises its own error, which is
 * what lets a decoder name the input and the element that was wrong.
 */
public interface ElementSource {

	/**
	 * Returns the element as a finite floating point number within {@code [-max, max]}, the range of the datatype
	 * asking: {@code Float.MAX_VALUE} for {@code FP32} (which narrows it to a {@code float}), {@code Double.MAX_VALUE}
	 * for {@code FP64}. A number beyond it would be stored as an infinity the client never sent.
	 * @param max the largest magnitude the datatype holds
	 * @throws RuntimeException of the source's choosing if the element is not a number, not finite or out of range
	 */
	double nextFloatingPoint(double max);

	/**
	 * Returns the element as an integer within {@code [min, max]}, the range of the datatype asking: for example
	 * {@code [0, 255]} for {@code UINT8}, {@code [-128, 127]} for {@code INT8}.
	 * @param min the smallest value the datatype holds
	 * @param max the largest value the datatype holds
	 * @throws RuntimeException of the source's choosing if the element is not an integer or is out of range
	 */
	long nextInteger(long min, long max);

	/**
	 * Returns the element as a boolean, for {@code BOOL}.
	 * @throws RuntimeException of the source's choosing if the element is not a boolean
	 */
	boolean nextBoolean();

	/**
	 * Returns the element as a byte string, for {@code BYTES}: text as UTF-8.
	 * A source that only reads numbers need not implement it: by default it refuses.
	 * @throws RuntimeException of the source's choosing if the element is not a string
	 */
	default byte[] nextBytes() {
		throw new UnsupportedOperationException(getClass().getName() + " holds no byte strings");
	}

}
