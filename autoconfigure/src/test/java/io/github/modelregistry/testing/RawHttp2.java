package io.github.modelregistry.testing;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http2.DefaultHttp2HeadersEncoder;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Flags;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.DefaultHttp2Headers;

/**
 * HTTP/2 over cleartext (prior knowledge) byte by byte, as a hostile client writes it: frames are encoded with
 * Netty's HPACK encoder, and read back by their 9-byte headers, so a test can send what no well-behaved client
 * sends (a stream whose body never comes, thousands of HEADERS and RST_STREAM) and see which frames the server
 * answers with.
 */
public final class RawHttp2 implements AutoCloseable {

	/** Frame types (RFC 9113, section 6). */
	public static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, PING = 0x6, GOAWAY = 0x7,
			WINDOW_UPDATE = 0x8;

	private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

	private final Socket socket;

	private final OutputStream out;

	private final DataInputStream in;

	private final DefaultHttp2HeadersEncoder encoder = new DefaultHttp2HeadersEncoder();

	/**
	 * Connects and sends the preface and an empty SETTINGS frame.
	 */
	public RawHttp2(int port) throws IOException {
		this.socket = new Socket("localhost", port);
		this.socket.setSoTimeout(30_000);
		this.out = this.socket.getOutputStream();
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out.write(PREFACE);
		frame(SETTINGS, 0, 0, new byte[0]);
		this.out.flush();
	}

	/**
	 * Returns a request's header block: its pseudo-headers (http, localhost), then the given names and values.
	 * @param more header names and values, in pairs
	 */
	public static Map<String, String> request(String method, String path, String... more) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put(":method", method);
		headers.put(":scheme", "http");
		headers.put(":path", path);
		headers.put(":authority", "localhost");
		for (int i = 0; i + 1 < more.length; i += 2) {
			headers.put(more[i], more[i + 1]);
		}
		return headers;
	}

	/**
	 * Sends a HEADERS frame that opens stream {@code stream}.
	 * @param endStream whether the request ends with its headers (no body)
	 */
	public void headers(int stream, Map<String, String> headers, boolean endStream) throws IOException {
		Http2Headers http2 = new DefaultHttp2Headers();
		headers.forEach(http2::add);
		ByteBuf block = Unpooled.buffer();
		try {
			this.encoder.encodeHeaders(stream, http2, block);
		}
		catch (Http2Exception ex) {
			throw new IOException(ex);
		}
		int flags = 0x4 | (endStream ? 0x1 : 0);
		frame(HEADERS, flags, stream, ByteBufUtil.getBytes(block));
		block.release();
	}

	public void data(int stream, byte[] bytes, boolean endStream) throws IOException {
		frame(DATA, endStream ? 0x1 : 0, stream, bytes);
	}

	public void reset(int stream) throws IOException {
		frame(RST_STREAM, 0, stream, new byte[] { 0, 0, 0, (byte) Http2Error.CANCEL.code() });
	}

	public void flush() throws IOException {
		this.out.flush();
	}

	/**
	 * Reads frames, acknowledging SETTINGS and PING, until one of {@code types} arrives (on any stream), the
	 * connection closes, or nothing arrives for the socket's time-out.
	 * @return the frame, or {@code null} if the connection closed first
	 */
	public Frame awaitFrame(int... types) throws IOException {
		for (;;) {
			Frame frame;
			try {
				frame = next();
			}
			catch (EOFException | java.net.SocketException closed) {
				return null;
			}
			for (int type : types) {
				if (frame.type() == type) {
					return frame;
				}
			}
			if (frame.type() == SETTINGS && (frame.flags() & Http2Flags.ACK) == 0) {
				frame(SETTINGS, Http2Flags.ACK, 0, new byte[0]);
				flush();
			}
		}
	}

	/**
	 * Whether the server closed the connection (reads end) within the socket's time-out.
	 */
	public boolean closedByServer() throws IOException {
		try {
			while (awaitFrame() != null) {
				// Drain until the end
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
	}

	public void soTimeout(int millis) throws IOException {
		this.socket.setSoTimeout(millis);
	}

	private Frame next() throws IOException {
		int length = (this.in.readUnsignedByte() << 16) | (this.in.readUnsignedByte() << 8) | this.in.readUnsignedByte();
		int type = this.in.readUnsignedByte();
		int flags = this.in.readUnsignedByte();
		int stream = this.in.readInt() & 0x7fffffff;
		byte[] payload = new byte[length];
		this.in.readFully(payload);
		return new Frame(type, flags, stream, payload);
	}

	private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
		byte[] header = { (byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
				(byte) type, (byte) flags, (byte) (stream >>> 24), (byte) (stream >>> 16), (byte) (stream >>> 8),
				(byte) stream };
		this.out.write(header);
		this.out.write(payload);
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	/**
	 * A frame the server sent.
	 */
	public record Frame(int type, int flags, int stream, byte[] payload) {

		/** The error code of a RST_STREAM or GOAWAY frame. */
		public long errorCode() {
			int at = (this.type == GOAWAY) ? 4 : 0;
			return ((this.payload[at] & 0xffL) << 24) | ((this.payload[at + 1] & 0xffL) << 16)
					| ((this.payload[at + 2] & 0xffL) << 8) | (this.payload[at + 3] & 0xffL);
		}

	}

}
