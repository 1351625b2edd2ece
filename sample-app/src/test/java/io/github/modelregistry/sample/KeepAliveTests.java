package io.github.modelregistry.sample;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every request on a keep-alive connection gets an answer, including one sent right after a request that was
 * queued behind a slower one.
 * <p>
 * Reactor Netty 1.3.6 (Spring Boot 4.0.7's) stops reading such a connection when a queued request is answered at
 * once: the next request is never read and its client waits forever (reactor/reactor-netty#4361). It hung CI in
 * {@code ModelOperationsTests}: the JDK's HTTP client sent {@code GET /actuator/health} on a connection where
 * {@code readiness} (answered on another thread) and {@code liveness} (answered at once) had just been served. The
 * parent POM pins Reactor Netty 1.3.8, which fixes it; these tests fail within seconds on 1.3.6.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "management.server.port=0", "spring.security.user.password=" + SampleModels.PASSWORD })
class KeepAliveTests {

	private static final int ROUNDS = 20;

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Test
	void theInferenceApiReadsTheRequestAfterAQueuedOne() throws IOException {
		// Model metadata is answered on an inference thread, liveness on the event loop
		assertEveryRequestAnswered(this.port, "/v2/models/restaurant-ranker", "/v2/health/live");
	}

	@Test
	void theManagementServerReadsTheRequestAfterAQueuedOne() throws IOException {
		// Readiness runs on a blocking-endpoint thread, liveness on the event loop: the sequence that hung CI
		assertEveryRequestAnswered(this.managementPort, "/actuator/health/readiness", "/actuator/health/liveness");
	}

	private static void assertEveryRequestAnswered(int port, String answeredLater, String answeredAtOnce)
			throws IOException {
		for (int round = 0; round < ROUNDS; round++) {
			try (Socket socket = new Socket("localhost", port)) {
				socket.setSoTimeout(10_000);
				OutputStream out = socket.getOutputStream();
				InputStream in = socket.getInputStream();
				// Both in one write: the second arrives while the first is still being answered, so it is queued
				out.write((get(answeredLater) + get(answeredAtOnce)).getBytes(StandardCharsets.US_ASCII));
				out.flush();
				assertThat(statusLine(in)).as("round %d, %s", round, answeredLater).endsWith("200 OK");
				assertThat(statusLine(in)).as("round %d, %s", round, answeredAtOnce).endsWith("200 OK");
				out.write(get(answeredAtOnce).getBytes(StandardCharsets.US_ASCII));
				out.flush();
				try {
					assertThat(statusLine(in)).as("round %d, the request after", round).endsWith("200 OK");
				}
				catch (SocketTimeoutException ex) {
					throw new AssertionError("Round " + round + ": no answer in 10 s to the request sent after a "
							+ "queued one on the same connection: the server stopped reading it", ex);
				}
			}
		}
	}

	private static String get(String path) {
		return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
	}

	/**
	 * Reads one response (headers and a {@code Content-Length} body) and returns its status line.
	 */
	private static String statusLine(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				throw new EOFException("The server closed the connection; received: " + head);
			}
			head.write(next);
		}
		String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
		int length = 0;
		for (String line : lines) {
			if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
				length = Integer.parseInt(line.substring("content-length:".length()).trim());
			}
		}
		assertThat(in.readNBytes(length)).hasSize(length);
		return lines[0];
	}

}
