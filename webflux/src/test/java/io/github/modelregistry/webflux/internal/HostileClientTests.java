package io.github.modelregistry.webflux.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
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
import org.junit.jupiter.api.AfterAll;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server as a hostile client finds it, on a real Netty server with a real ONNX Runtime model: malformed JSON,
 * shapes and data that do not fit, numbers out of range, other encodings and media types, unknown models and
 * versions, broken HTTP framing, headers and bodies that trickle, idle connections, huge chunked uploads and huge
 * declarations in a few bytes. Each bad request must get its 4xx with a JSON error saying what was wrong, log no
 * WARN or ERROR and at most one DEBUG line, and leave the server answering another client's valid inference with
 * a 200.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "model-registry.web.max-request-size=1MB", "model-registry.web.header-timeout=1s",
				"model-registry.web.body-timeout=2s", "server.netty.idle-timeout=2s",
				"logging.level.io.github.modelregistry=DEBUG" })
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileClientTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("hostile-models")
		.with("scorer", 1, TestModels.scorer(4, 0f));

	static final Path BASE = MODELS.base();

	private static final String INFER = "/v2/models/scorer/infer";

	private static final String VALID = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
			+ "\"data\":[1,2,3,4]}]}";

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
		List<Case> cases = new ArrayList<>(V2HostileRequests.protocolCases());
		// HTTP framing, answered below Spring
		cases.add(new Case("bad chunk size", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\nContent-Type: "
				+ "application/json\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nabc\r\n0\r\n\r\n"), 400,
				"framing is malformed"));
		cases.add(new Case("bad chunk size after a good chunk", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{\"\r\n-5\r\n"), 400,
				"framing is malformed"));
		cases.add(new Case("request line garbage", ascii("GARBAGE\r\n\r\n"), 400, "request line or headers"));
		cases.add(new Case("header without a colon", ascii("GET /v2 HTTP/1.1\r\nHost: x\r\nBroken header\r\n\r\n"),
				400, "request line or headers"));
		cases.add(new Case("space before a header's colon", ascii("GET /v2 HTTP/1.1\r\nHost : x\r\n\r\n"), 400,
				"malformed"));
		cases.add(new Case("Content-Length not a number", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Length: abc\r\n\r\n"), 400, "malformed"));
		cases.add(new Case("two Content-Lengths", ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\n"
				+ "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"), 400, "malformed"));
		cases.add(new Case("URI too long", ascii("GET /v2/models/" + "a".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n"),
				414, "too long"));
		cases.add(new Case("headers too large", ascii("GET /v2 HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000)
				+ "\r\n\r\n"), 431, "too long"));
		return cases.stream();
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

	@Test
	void headersTrickledInAreCutAtTheHeaderTimeout() throws Exception {
		// A byte every 100 ms keeps the idle time-out from ever firing; the header time-out (1 s) must
		RawHttp.Response answer = RawHttp.trickle(this.port,
				("GET /v2/health/live HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(100)).getBytes(StandardCharsets.US_ASCII),
				Duration.ofMillis(100));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(408);
		assertThat(answer.body()).contains("model-registry.web.header-timeout");
		assertThat(answer.closes()).isTrue();
		assertQuietLogs();
		assertAnotherClientIsServed();
	}

	@Test
	void aSilentConnectionIsClosedAndAnIdleOneToo() throws Exception {
		// Silent from the start: the header time-out answers 408 and closes
		try (Socket silent = new Socket("localhost", this.port)) {
			silent.setSoTimeout(10_000);
			RawHttp.Response answer = RawHttp.read(silent.getInputStream());
			assertThat(answer.status()).isEqualTo(408);
		}
		// Idle after a response: Reactor Netty's idle time-out (2 s here) closes it
		try (Socket idle = new Socket("localhost", this.port)) {
			idle.setSoTimeout(10_000);
			idle.getOutputStream().write(ascii("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n"));
			InputStream in = idle.getInputStream();
			assertThat(RawHttp.read(in).status()).isEqualTo(200);
			assertThat(in.read()).as("the connection closed").isEqualTo(-1);
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
		// Each declares 16 MB of FP32 in a shape the model takes, in 84 bytes: before, each allocated it
		byte[] request = V2HostileRequests.hugeDeclaration();
		long before = V2HostileRequests.residentBytes();
		for (int i = 0; i < 30; i++) {
			assertThat(RawHttp.exchange(this.port, request, Duration.ofSeconds(10)).status()).isEqualTo(400);
		}
		long grown = V2HostileRequests.residentBytes() - before;
		// 30 x 16 MB = 480 MB had they been allocated; the bound leaves room for the JIT and the heap's own growth
		assertThat(grown).as("resident memory grew by %d MB", grown >> 20).isLessThan(64L << 20);
		assertAnotherClientIsServed();
	}

	@Test
	void answeredRequestsLeaveNothingReachableBehind() throws Exception {
		// Reactor Netty's requestTimeout kept every GET's exchange reachable from the event loop's timer queue until
		// the time-out passed (the connection guards' body deadline replaced it): 16,000 keep-alive GETs on 4
		// connections held about 25 MB then, and the young collections that copied them stalled every request
		byte[] get = ascii("GET /v2/health/live HTTP/1.1\r\nHost: x\r\n\r\n");
		long before = heapAfterCollection();
		List<CompletableFuture<Void>> connections = new ArrayList<>();
		for (int c = 0; c < 4; c++) {
			connections.add(CompletableFuture.runAsync(() -> {
				try (Socket socket = new Socket("localhost", this.port)) {
					socket.setSoTimeout(10_000);
					OutputStream out = socket.getOutputStream();
					InputStream in = new java.io.BufferedInputStream(socket.getInputStream());
					for (int i = 0; i < 4000; i++) {
						out.write(get);
						out.flush();
						assertThat(RawHttp.read(in).status()).isEqualTo(200);
					}
				}
				catch (IOException ex) {
					throw new java.io.UncheckedIOException(ex);
				}
			}));
		}
		CompletableFuture.allOf(connections.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
		long grown = heapAfterCollection() - before;
		assertThat(grown).as("the heap kept %d KB after 16,000 answered requests", grown >> 10)
			.isLessThan(8L << 20);
		assertAnotherClientIsServed();
	}

	private static long heapAfterCollection() {
		java.lang.management.MemoryMXBean memory = java.lang.management.ManagementFactory.getMemoryMXBean();
		memory.gc();
		return memory.getHeapMemoryUsage().getUsed();
	}

	/**
	 * Netty's leak reports: logged at a GC, whenever it comes, for a buffer leaked anywhere in this JVM before (the
	 * test clients of earlier test classes among them), so they are not any one case's; checked for the server's
	 * codec once all cases have run.
	 */
	private static final Queue<ILoggingEvent> LEAKS = new ConcurrentLinkedQueue<>();

	private static final String LEAK_DETECTOR = "io.netty.util.ResourceLeakDetector";

	@AfterAll
	static void theServerLeakedNoBuffer() {
		assertThat(LEAKS).as("leaked buffers the server's HTTP codec touched")
			.noneMatch((event) -> event.getFormattedMessage().contains("HttpServerCodec"));
	}

	private void assertQuietLogs() {
		List<ILoggingEvent> events = List.copyOf(this.logs.list);
		this.logs.list.clear();
		events.stream().filter((event) -> event.getLoggerName().equals(LEAK_DETECTOR)).forEach(LEAKS::add);
		assertThat(events.stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.filter((event) -> !event.getLoggerName().equals(LEAK_DETECTOR))).as("WARN and ERROR lines").isEmpty();
		assertThat(events.stream()
			.filter((event) -> event.getLevel() == Level.DEBUG && event.getLoggerName().startsWith("io.github.modelregistry")))
			.as("DEBUG lines").hasSizeLessThanOrEqualTo(1);
	}

	private void assertAnotherClientIsServed() {
		RawHttp.Response response = RawHttp.exchange(this.port, post(INFER, "application/json",
				VALID.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"model_name\":\"scorer\"");
		List.copyOf(this.logs.list)
			.stream()
			.filter((event) -> event.getLoggerName().equals(LEAK_DETECTOR))
			.forEach(LEAKS::add);
		this.logs.list.clear();
	}

	private static byte[] post(String path, String contentType, byte[] body) {
		byte[] head = ascii("POST " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: "
				+ contentType + "\r\nContent-Length: " + body.length + "\r\n\r\n");
		byte[] request = java.util.Arrays.copyOf(head, head.length + body.length);
		System.arraycopy(body, 0, request, head.length, body.length);
		return request;
	}

	private static byte[] get(String path) {
		return ascii("GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
	}

	private static byte[] ascii(String text) {
		return text.getBytes(StandardCharsets.ISO_8859_1);
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
