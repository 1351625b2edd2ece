package io.github.modelregistry.protocol;

import java.io.InputStream;
import java.nio.ByteBuffer;

import org.jspecify.annotations.Nullable;

/**
 * The bytes of a request body, read in place: each face adapts its own buffer (WebFlux's {@code DataBuffer}, a
 * servlet's bytes, a file) so that the codecs copy the bytes once, from where the server put them straight into a
 * tensor's buffer. Indexes run from 0 to {@link #length()}; reading does not move anything.
 */
public interface RequestBytes {

	/**
	 * The number of bytes.
	 */
	int length();

	/**
	 * The byte at an index, from 0 to 255.
	 */
	int byteAt(int index);

	/**
	 * Copies {@code length} bytes from {@code index} into {@code into}, from its {@code offset}, leaving its position
	 * where it was.
	 */
	void copy(int index, ByteBuffer into, int offset, int length);

	/**
	 * The array that holds exactly these bytes, from its index 0, or {@code null} when they are elsewhere (direct
	 * memory, part of a larger buffer): the JSON parser then reads the array itself rather than a stream over it.
	 */
	default byte @Nullable [] array() {
		return null;
	}

	/**
	 * A body of the bytes of an array.
	 */
	static RequestBytes of(byte[] bytes) {
		ByteBuffer buffer = ByteBuffer.wrap(bytes);
		return new RequestBytes() {

			@Override
			public int length() {
				return bytes.length;
			}

			@Override
			public int byteAt(int index) {
				return bytes[index] & 0xFF;
			}

			@Override
			public void copy(int index, ByteBuffer into, int offset, int length) {
				into.put(offset, buffer, index, length);
			}

			@Override
			public byte[] array() {
				return bytes;
			}

		};
	}

	/**
	 * A body of a buffer's remaining bytes, read in place.
	 */
	static RequestBytes of(ByteBuffer buffer) {
		ByteBuffer bytes = buffer.slice();
		return new RequestBytes() {

			@Override
			public int length() {
				return bytes.limit();
			}

			@Override
			public int byteAt(int index) {
				return bytes.get(index) & 0xFF;
			}

			@Override
			public void copy(int index, ByteBuffer into, int offset, int length) {
				into.put(offset, bytes, index, length);
			}

		};
	}

	/**
	 * A stream of the bytes from {@code start} to {@code end}.
	 */
	default InputStream stream(int start, int end) {
		return new InputStream() {

			private int position = start;

			@Override
			public int read() {
				return (this.position < end) ? byteAt(this.position++) : -1;
			}

			@Override
			public int read(byte[] into, int offset, int length) {
				if (this.position >= end) {
					return -1;
				}
				int count = Math.min(length, end - this.position);
				copy(this.position, ByteBuffer.wrap(into), offset, count);
				this.position += count;
				return count;
			}

		};
	}

}
