package io.github.modelregistry.web;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import io.github.modelregistry.tensor.TensorDatatype;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * The raw tensors of the binary tensor data extension, after a request's JSON header: each binary input's bytes in
 * the order the inputs are listed, little-endian, row-major, {@code BOOL} one byte per element. A cursor over the
 * body's bytes past the header, read once, in order; the bytes are copied from the body (Netty's direct memory)
 * straight into an input's buffer (the tensor pool's direct memory), never through the heap.
 * <p>
 * The same rules write an answer's binary outputs ({@link #appendLittleEndian}). Tensors live in native order; on a
 * little-endian machine (x86, ARM as Java runs it) the wire's order is theirs and the bytes are copied as they are.
 */
final class BinaryTensorData {

	private static final boolean NATIVE_LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;

	private final DataBuffer body;

	private int position;

	private final int end;

	/**
	 * @param body the whole request body
	 * @param start where the raw tensors begin: the body's read position plus the JSON header's length
	 */
	BinaryTensorData(DataBuffer body, int start) {
		this.body = body;
		this.position = start;
		this.end = body.readPosition() + body.readableByteCount();
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
		this.body.toByteBuffer(this.position, into, 0, length);
		this.position += length;
		if (!NATIVE_LITTLE_ENDIAN) {
			reverseElements(into, length, datatype.bytes());
		}
		if (datatype == TensorDatatype.BOOL) {
			for (int i = 0; i < length; i++) {
				byte value = into.get(i);
				if (value != 0 && value != 1) {
					throw V2Exception.badRequest("Input " + input + " binary BOOL element " + i + " is " + (value & 0xFF)
							+ ": BOOL is one byte per element, 0 or 1");
				}
			}
		}
	}

	/**
	 * Appends a tensor's bytes to {@code out} at {@code offset}, little-endian.
	 */
	static void appendLittleEndian(ByteBuffer tensor, TensorDatatype datatype, byte[] out, int offset) {
		int length = tensor.remaining();
		tensor.get(tensor.position(), out, offset, length);
		if (!NATIVE_LITTLE_ENDIAN) {
			reverseElements(ByteBuffer.wrap(out, offset, length).slice(), length, datatype.bytes());
		}
	}

	private static void reverseElements(ByteBuffer bytes, int length, int width) {
		for (int element = 0; element < length; element += width) {
			for (int i = 0, j = width - 1; i < j; i++, j--) {
				byte swap = bytes.get(element + i);
				bytes.put(element + i, bytes.get(element + j));
				bytes.put(element + j, swap);
			}
		}
	}

}
