package io.github.modelregistry.protocol;

import java.nio.ByteBuffer;

import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.TensorDatatype;


/**
 * The raw tensors of the binary tensor data extension, after a request's JSON header: each binary input's bytes in
 * the order the inputs are listed, little-endian, row-major, {@code BOOL} one byte per element. A cursor over the
 * body's bytes past the header, read once, in order; the bytes are copied from the body (Netty's direct memory)
 * straight into an input's buffer (the tensor pool's direct memory), never through the heap.
 * Tensors live in native order: {@link TensorDatatype#fromLittleEndian} turns the wire's order into theirs.
 */
final class BinaryTensorData {

	private final RequestBytes body;

	private int position;

	private final int end;

	/**
	 * @param body the whole request body
	 * @param start where the raw tensors begin: the JSON header's length
	 */
	BinaryTensorData(RequestBytes body, int start) {
		this.body = body;
		this.position = start;
		this.end = body.length();
	}

	/**
	 * Returns the bytes not read yet.
	 */
	int remaining() {
		return this.end - this.position;
	}

	/**
	 * Reads the next {@code length} bytes into {@code into} (from its position 0), in native order.
	 * @throws V2Exception 400 when a {@code BOOL} byte is neither 0 nor 1
	 */
	void read(ByteBuffer into, int length, TensorDatatype datatype, String input) {
		this.body.copy(this.position, into, 0, length);
		this.position += length;
		try {
			datatype.fromLittleEndian(into, length);
		}
		catch (InvalidTensorException ex) {
			throw V2Exception.badRequest("Input " + input + " " + ex.getMessage());
		}
	}

}
