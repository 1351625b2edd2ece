package io.github.modelregistry.webmvc.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.testing.RawHttp;
import io.github.modelregistry.testing.V2HostileRequests;
import io.github.modelregistry.testing.V2HostileRequests.Case;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static io.github.modelregistry.testing.V2HostileRequests.INFER;
import static io.github.modelregistry.testing.V2HostileRequests.VALID;
import static io.github.modelregistry.testing.V2HostileRequests.ascii;
import static io.github.modelregistry.testing.V2HostileRequests.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring MVC face as a hostile client finds it, on a real Tomcat server with a real ONNX Runtime model: the same
 * cases as the WebFlux face's ({@link V2HostileRequests}), then what Tomcat itself answers (broken framing), bodies
 * that trickle or never come, silent connections, huge chunked uploads and huge declarations in a few bytes. Each bad
 * request must get its 4xx, log no WARN or ERROR and at most one DEBUG line, and leave the server answering another
 * client's valid inference with a 200.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "model-registry.web.max-request-size=1MB", "model-registry.web.header-timeout=1s",
				"model-registry.web.body-timeout=2s", "logging.level.io.github.modelregistry=DEBUG",
				// Fewer threads than the clients that stall: a client that holds a thread would starve the rest
				"server.tomcat.threads.max=8", "server.tomcat.threads.min-spare=2" })
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileClientTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("hostile-mvc-models")
		.with("scorer", 1, TestModels.scorer(4, 0f));

	static final Path BASE = MODELS.base();

	@LocalServerPort
	int port;

	private final ListAppender<ILoggingEvent> logs = new ListAppender<>();

	@BeforeEach
	void captureLogs() {
		this.logs.start();
		root().addAppender(this.logs);
	}

	@AfterEach
	void stopCapturing() {
		root().detachAppender(this.logs);
	}

	private static Logger root() {
		return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
	}

	static Stream<Case> cases() {
		return V2HostileRequests.protocolCases().stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("cases")
	void aHostileRequestGetsItsErrorAndCostsNoOtherClient(Case hostile) {
		RawHttp.Response response = RawHttp.exchange(this.port, hostile.request(), Duration.ofSeconds(20));
		assertThat(response.status()).as(response.toString()).isEqualTo(hostile.status());
		assertThat(response.headers().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
		assertThat(response.body()).startsWith("{\"error\":\"").doesNotContain("Exception").doesNotContain("\tat ");
		if (hostile.error() != null) {
			assertThat(response.body()).contains(hostile.error());
		}
		assertQuietLogs();
		assertAnotherClientIsServed();
	}

	/**
	 * Framing Tomcat refuses before any servlet runs: a 400 (or 414, 431) in Tomcat's words, never a 5xx, and the
	 * server serves on.
	 */
	static Stream<Case> framing() {
		List<Case> cases = new ArrayList<>();
		cases.add(new Case("request line garbage", ascii("GARBAGE\r\n\r\n"), 400, null));
		cases.add(new Case("header without a colon", ascii("GET /v2 HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n"),
				400, null));
		cases.add(new Case("space before a header's colon", ascii("GET /v2 HTTP/1.1\r\nHost : x\r\n\r\n"), 400,
				null));
		cases.add(new Case("Content-Length not a number", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Length: abc\r\n\r\n"), 400, null));
		cases.add(new Case("two Content-Lengths", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"), 400, null));
		cases.add(new Case("headers too large", ascii("GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000)
				+ "\r\n\r\n"), 400, null));
		// A body whose chunk framing breaks is the servlet's to answer: it reads the body itself
		cases.add(new Case("bad chunk size", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
				+ "application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n"), 400,
				"framing is malformed"));
		cases.add(new Case("bad chunk size after a good chunk", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\n-5\r\n"), 400,
				"framing is malformed"));
		return cases.stream();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("framing")
	void brokenFramingIsRefusedAndCostsNoOtherClient(Case hostile) {
		RawHttp.Response response = RawHttp.exchange(this.port, hostile.request(), Duration.ofSeconds(20));
		assertThat(response.status()).as(response.toString()).isEqualTo(hostile.status());
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
		if (hostile.error() != null) {
			assertThat(response.body()).contains(hostile.error());
		}
		assertQuietLogs();
		assertAnotherClientIsServed();
	}

	@Test
	void bodiesThatStallOrTrickleGet408AndHoldNoThread() throws Exception {
		byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
		// Twenty clients send half a body and stop: Tomcat's read time-out (the header time-out, 1 s, checked by its
		// poller about once a second) or the body time-out (2 s), whichever comes first, ends each. Twenty more send
		// a byte every 300 ms, which no read time-out catches: the body time-out ends each.
		// Forty is five times the test's Tomcat threads (8), which they would exhaust if each held one; a valid
		// client is served meanwhile.
		List<Socket> stalled = new ArrayList<>();
		List<Socket> trickling = new ArrayList<>();
		List<CompletableFuture<RawHttp.Response>> stalledAnswers = new ArrayList<>();
		List<CompletableFuture<RawHttp.Response>> tricklingAnswers = new ArrayList<>();
		byte[] head = ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
				+ "Content-Length: " + body.length + "\r\n\r\n");
		try {
			for (int i = 0; i < 20; i++) {
				stalledAnswers.add(start(stalled, head, body, body.length / 2));
				tricklingAnswers.add(start(trickling, head, body, 1));
			}
			assertAnotherClientIsServed();
			for (int sent = 2; sent < body.length && !tricklingAnswers.stream().allMatch(CompletableFuture::isDone);
					sent++) {
				Thread.sleep(300);
				for (Socket socket : trickling) {
					try {
						socket.getOutputStream().write(body[sent - 1]);
					}
					catch (IOException answered) {
						// The server answered and closed
					}
				}
			}
			for (CompletableFuture<RawHttp.Response> answer : stalledAnswers) {
				RawHttp.Response response = answer.get(20, TimeUnit.SECONDS);
				assertThat(response.status()).as(response.toString()).isEqualTo(408);
				assertThat(response.body()).containsAnyOf("model-registry.web.header-timeout",
						"model-registry.web.body-timeout");
				assertThat(response.closes()).isTrue();
			}
			for (CompletableFuture<RawHttp.Response> answer : tricklingAnswers) {
				RawHttp.Response response = answer.get(20, TimeUnit.SECONDS);
				assertThat(response.status()).as(response.toString()).isEqualTo(408);
				assertThat(response.body()).contains("model-registry.web.body-timeout");
				assertThat(response.closes()).isTrue();
			}
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
			for (Socket socket : trickling) {
				socket.close();
			}
		}
		assertQuietLogs(40);
		assertAnotherClientIsServed();
	}

	private CompletableFuture<RawHttp.Response> start(List<Socket> sockets, byte[] head, byte[] body, int sent)
			throws IOException {
		Socket socket = new Socket("localhost", this.port);
		socket.setSoTimeout(20_000);
		sockets.add(socket);
		CompletableFuture<RawHttp.Response> answer = RawHttp.readLater(socket);
		OutputStream out = socket.getOutputStream();
		out.write(head);
		out.write(body, 0, sent);
		out.flush();
		return answer;
	}

	@Test
	void aSilentConnectionIsClosedAtTheHeaderTimeout() throws Exception {
		try (Socket silent = new Socket("localhost", this.port)) {
			silent.setSoTimeout(10_000);
			long start = System.nanoTime();
			assertThat(silent.getInputStream().read()).as("the connection closed").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));
		}
		assertAnotherClientIsServed();
	}

	@Test
	void aHundredMegabyteChunkedUploadGets413() throws Exception {
		RawHttp.Response answer = RawHttp.chunkedUpload(this.port, INFER, 1600);
		assertThat(answer.status()).as(answer.toString()).isEqualTo(413);
		assertThat(answer.body()).contains("max-request-size");
		assertQuietLogs();
		assertAnotherClientIsServed();
	}

	@Test
	void oversizedDeclarationsDoNotGrowResidentMemory() throws Exception {
		// Each declares 16 MB of FP32 in a shape the model takes, in 84 bytes
		byte[] request = V2HostileRequests.hugeDeclaration();
		long before = V2HostileRequests.residentBytes();
		for (int i = 0; i < 30; i++) {
			assertThat(RawHttp.exchange(this.port, request, Duration.ofSeconds(10)).status()).isEqualTo(400);
		}
		long grown = V2HostileRequests.residentBytes() - before;
		assertThat(grown).as("resident memory grew by %d MB", grown >> 20).isLessThan(64L << 20);
		assertAnotherClientIsServed();
	}

	private void assertQuietLogs() {
		assertQuietLogs(1);
	}

	/**
	 * No WARN or ERROR line, and at most one DEBUG line per bad request.
	 */
	private void assertQuietLogs(int badRequests) {
		List<ILoggingEvent> events = List.copyOf(this.logs.list);
		this.logs.list.clear();
		assertThat(events.stream().filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN)))
			.as("WARN and ERROR lines").isEmpty();
		assertThat(events.stream()
			.filter((event) -> event.getLevel() == Level.DEBUG && event.getLoggerName().startsWith("io.github.modelregistry")))
			.as("DEBUG lines").hasSizeLessThanOrEqualTo(badRequests);
	}

	private void assertAnotherClientIsServed() {
		RawHttp.Response response = RawHttp.exchange(this.port, post(INFER, "application/json",
				VALID.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"model_name\":\"scorer\"");
		this.logs.list.clear();
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ModelRegistryCustomizer scorer() {
			return (builder) -> builder
				.model(TestRegistries.definition(BASE, "scorer", null, HolderStrategy.SHARDED_RCU, LoadMode.EAGER));
		}

	}

}
