package io.github.modelregistry.tensor;

import java.nio.ByteBuffer;

/**
 * Where {@link TensorDatatype#write} puts one element: a response generator, a test, any other format. Each
 * datatype calls the one method that keeps its values exact: {@code FP32} calls {@link #writeFloat} (so that a
 * sink can print {@code 0.1f} as {@code 0.1}, not as the double {@code 0.10000000149011612}), {@code FP64}
 * {@link #writeDouble}, every integer datatype {@link #writeLong} ({@code UINT8} as 0 to 255), {@code BOOL}
 * {@link #writeBoolean}, {@code BYTES} {@link #writeBytes}.
 */
public interface ElementSink {

	/**
	 * Writes an {@code FP32} element.
	 */
	void writeFloat(float value);

	/**
	 * Writes an {@code FP64} element.
	 */
	void writeDouble(double value);

	/**
	 * Writes an element of an integer datatype, widened to a {@code long}; {@code UINT8} elements are unsigned.
	 */
	void writeLong(long value);

	/**
	 * Writes a {@code BOOL} element.
	 */
	void writeBoolean(boolean value);

	/**
	 * Writes a {@code BYTES} element: its bytes are the buffer's remaining ones, which the sink reads without moving
	 * the buffer's position and must not keep. A sink that only writes numbers need not implement it: by default it
	 * refuses.
	 */
	default void writeBytes(ByteBuffer value) {
		throw new UnsupportedOperationException(getClass().getName() + " takes no byte strings");
	}

}
