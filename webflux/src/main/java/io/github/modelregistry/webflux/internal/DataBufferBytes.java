package io.github.modelregistry.webflux.internal;

import java.nio.ByteBuffer;

import io.github.modelregistry.protocol.RequestBytes;

import org.springframework.core.io.buffer.DataBuffer;

/**
 * A request body read in place from the readable bytes of a joined {@link DataBuffer} (Netty's memory): the codecs
 * copy from it straight into a tensor's buffer. Reading does not move the buffer's read position; the caller still
 * owns and releases it.
 */
final class DataBufferBytes implements RequestBytes {

	private final DataBuffer buffer;

	private final int origin;

	private final int length;

	private DataBufferBytes(DataBuffer buffer) {
		this.buffer = buffer;
		this.origin = buffer.readPosition();
		this.length = buffer.readableByteCount();
	}

	static RequestBytes of(DataBuffer buffer) {
		return new DataBufferBytes(buffer);
	}

	@Override
	public int length() {
		return this.length;
	}

	@Override
	public int byteAt(int index) {
		return this.buffer.getByte(this.origin + index) & 0xFF;
	}

	@Override
	public void copy(int index, ByteBuffer into, int offset, int length) {
		this.buffer.toByteBuffer(this.origin + index, into, offset, length);
	}

}
