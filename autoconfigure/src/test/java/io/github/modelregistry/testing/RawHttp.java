package io.github.modelregistry.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client that sends exactly the bytes a test gives it, as a hostile one would, and reads one HTTP/1.1 response:
 * its head, then as many body bytes as its Content-Length says (or up to the close).
 */
public final class RawHttp {

	private static final Pattern STATUS = Pattern.compile("^HTTP/1\\.1 (\\d{3})");

	private static final Pattern LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");

	private RawHttp() {
	}

	public static Response exchange(int port, byte[] request, Duration timeout) {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout((int) timeout.toMillis());
			// Written beside the read: a server may answer (413) and close before it has read all of a large body,
			// and a client that only reads once it has written everything would meet the reset, not the answer
			java.util.concurrent.CompletableFuture<Void> written = java.util.concurrent.CompletableFuture.runAsync(() -> {
				try {
					socket.getOutputStream().write(request);
					socket.getOutputStream().flush();
				}
				catch (IOException closed) {
					// The server stopped reading: its answer is what counts
				}
			});
			Response response = read(socket.getInputStream());
			written.cancel(false);
			return response;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Writes a request a byte at a time, one every {@code interval} (pacing a slow client, not waiting for the
	 * server), until the server answers or stops reading; returns its answer.
	 */
	public static Response trickle(int port, byte[] request, Duration interval) throws Exception {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(10_000);
			java.io.OutputStream out = socket.getOutputStream();
			CompletableFuture<Response> response = readLater(socket);
			for (byte b : request) {
				if (response.isDone()) {
					break;
				}
				try {
					out.write(b);
					out.flush();
				}
				catch (IOException closed) {
					break;
				}
				Thread.sleep(interval.toMillis());
			}
			return response.get(10, TimeUnit.SECONDS);
		}
	}

	/**
	 * Reads one response from the socket on another thread, while the caller goes on writing to it.
	 */
	public static CompletableFuture<Response> readLater(Socket socket) {
		return CompletableFuture.supplyAsync(() -> {
			try {
				return read(socket.getInputStream());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	/**
	 * POSTs a chunked body of 64 KB chunks to the path, up to {@code chunks} of them, and stops sending once the
	 * server has answered (or closed), which it should do long before the last chunk.
	 * @return the answer
	 */
	public static Response chunkedUpload(int port, String path, int chunks) throws Exception {
		try (Socket socket = new Socket("localhost", port)) {
			socket.setSoTimeout(20_000);
			CompletableFuture<Response> response = readLater(socket);
			java.io.OutputStream out = socket.getOutputStream();
			out.write(("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
					+ "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
			byte[] chunk = new byte[64 * 1024];
			java.util.Arrays.fill(chunk, (byte) ' ');
			byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
			try {
				for (int i = 0; i < chunks && !response.isDone(); i++) {
					out.write(size);
					out.write(chunk);
					out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
				}
			}
			catch (IOException closed) {
				// The server stops reading once it has answered
			}
			return response.get(20, TimeUnit.SECONDS);
		}
	}

	/**
	 * Reads one response from the socket.
	 */
	public static Response read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
			int next;
			try {
				next = in.read();
			}
			catch (SocketTimeoutException ex) {
				throw new IllegalStateException("No complete response; got '" + head + "'", ex);
			}
			if (next < 0) {
				return new Response(-1, head.toString(StandardCharsets.ISO_8859_1), "", new byte[0]);
			}
			head.write(next);
		}
		String headers = head.toString(StandardCharsets.ISO_8859_1);
		Matcher status = STATUS.matcher(headers);
		Matcher length = LENGTH.matcher(headers);
		byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
		return new Response(status.find() ? Integer.parseInt(status.group(1)) : -1, headers,
				new String(body, StandardCharsets.UTF_8), body);
	}

	/**
	 * @param status the status code, -1 if the connection closed without one
	 * @param headers the response's head
	 * @param body the body as UTF-8
	 * @param raw the body's bytes
	 */
	public record Response(int status, String headers, String body, byte[] raw) {

		/**
		 * Returns a header's value, or {@code null}.
		 */
		public String header(String name) {
			Matcher header = Pattern.compile("(?im)^" + Pattern.quote(name) + ": *([^\r\n]*)").matcher(this.headers);
			return header.find() ? header.group(1) : null;
		}

		public boolean closes() {
			return this.headers.toLowerCase(Locale.ROOT).contains("connection: close");
		}

		@Override
		public String toString() {
			return this.status + " " + this.body;
		}

	}

}
