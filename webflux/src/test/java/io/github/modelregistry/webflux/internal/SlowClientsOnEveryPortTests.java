package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.testing.RawHttp2;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.testing.RawHttp;
import io.github.modelregistry.testing.V2HostileRequests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The slow-client guards with h2c on ({@code server.http2.enabled=true} without TLS) and on the management server's
 * own port, on real Netty servers: headers trickled in and silent connections get a 408 and are closed on both ports
 * and on both pipelines; an HTTP/2 stream whose body never comes is reset, on a route of the application's own (the
 * V2 face bounds its own bodies); HTTP/2 still works, by prior knowledge and by upgrade; the management port serves
 * no V2 inference. After each, another client's inference on the API port is answered.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.http2.enabled=true", "management.server.port=0",
				"management.endpoints.web.exposure.include=health", "model-registry.web.header-timeout=1s",
				"model-registry.web.body-timeout=2s", "server.netty.idle-timeout=30s" })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientsOnEveryPortTests {

	private static final String VALID = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
			+ "\"data\":[1,2,3,4]}]}";

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "api", "management" })
	void headersTrickledInAreCutAtTheHeaderTimeout(String server) throws Exception {
		long began = System.nanoTime();
		RawHttp.Response answer = RawHttp.trickle(port(server),
				("GET /actuator/health HTTP/1.1\r\nHost: x\r\nX-Slow: " + "s".repeat(200)).getBytes(StandardCharsets.US_ASCII),
				Duration.ofMillis(50));
		assertThat(answer.status()).as(answer.toString()).isEqualTo(408);
		assertThat(answer.body()).contains("model-registry.web.header-timeout");
		assertThat(answer.closes()).isTrue();
		assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(8));
		assertAnotherClientIsServed();
	}

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "api", "management" })
	void aSilentConnectionGets408AndIsClosed(String server) throws Exception {
		try (Socket silent = new Socket("localhost", port(server))) {
			silent.setSoTimeout(10_000);
			InputStream in = silent.getInputStream();
			RawHttp.Response answer = RawHttp.read(in);
			assertThat(answer.status()).isEqualTo(408);
			assertThat(in.read()).as("the connection closed").isEqualTo(-1);
		}
		assertAnotherClientIsServed();
	}

	@Test
	void anHttp2StreamWhoseBodyNeverComesIsReset() throws Exception {
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		logs.start();
		Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
		root.addAppender(logs);
		long began = System.nanoTime();
		try (RawHttp2 h2 = new RawHttp2(this.port)) {
			h2.headers(1, RawHttp2.request("POST", "/echo", "content-type", "text/plain", "content-length", "10"), false);
			h2.flush();
			RawHttp2.Frame frame = h2.awaitFrame(RawHttp2.RST_STREAM, RawHttp2.HEADERS, RawHttp2.GOAWAY);
			// The stream, not the connection (whose idle time-out is 30 s here), is ended
			assertThat(frame).as("the server ended the stream").isNotNull();
			assertThat(frame.type()).isIn(RawHttp2.RST_STREAM, RawHttp2.HEADERS);
			assertThat(frame.stream()).isEqualTo(1);
		}
		Duration took = Duration.ofNanos(System.nanoTime() - began);
		// Reactor Netty's read time-out: the body time-out (2 s) and two seconds' margin
		assertThat(took).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(15));
		assertAnotherClientIsServed();
		root.detachAppender(logs);
		// A client's stalled body: a 408 and a DEBUG line (ReadTimeoutExceptionHandler), not Spring Boot's 500 with an
		// ERROR. (Reactor still logs "Operator called default onErrorDropped" once, when the time-out reaches a body
		// already cancelled: not ours to silence without a process-wide hook; the note on issue 35 says so.)
		assertThat(List.copyOf(logs.list).stream()
			.filter((event) -> event.getLevel().isGreaterOrEqual(Level.WARN))
			.filter((event) -> !event.getLoggerName().equals("reactor.core.publisher.Operators")))
			.as("WARN and ERROR lines").isEmpty();
	}

	@Test
	void http2ByPriorKnowledgeAndByUpgradeStillWorks() throws Exception {
		try (RawHttp2 h2 = new RawHttp2(this.port)) {
			h2.headers(1, RawHttp2.request("GET", "/v2/health/live"), true);
			h2.flush();
			RawHttp2.Frame frame = h2.awaitFrame(RawHttp2.HEADERS, RawHttp2.RST_STREAM, RawHttp2.GOAWAY);
			assertThat(frame).isNotNull();
			assertThat(frame.type()).isEqualTo(RawHttp2.HEADERS);
			// Past the header time-out, the HTTP/2 connection is not cut by the HTTP/1.1 guards
			h2.soTimeout(2_500);
			assertThat(h2.closedByServer()).as("closed within 2.5 s of its answer").isFalse();
		}
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		HttpResponse<String> upgraded = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port
				+ "/v2/health/live")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
		assertThat(upgraded.statusCode()).isEqualTo(200);
		assertThat(upgraded.version()).isEqualTo(HttpClient.Version.HTTP_2);
		HttpResponse<String> inference = client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port
				+ "/v2/models/scorer/infer")).timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(VALID))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(inference.statusCode()).as(inference.body()).isEqualTo(200);
		assertThat(inference.version()).isEqualTo(HttpClient.Version.HTTP_2);
	}

	@Test
	void theManagementPortServesNoV2Inference() {
		RawHttp.Response management = RawHttp.exchange(this.managementPort, V2HostileRequests.post("/v2/models/scorer/infer", "application/json", VALID.getBytes(StandardCharsets.UTF_8)),
				Duration.ofSeconds(10));
		assertThat(management.status()).as(management.toString()).isEqualTo(404);
		RawHttp.Response live = RawHttp.exchange(this.managementPort,
				"GET /v2/health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
				Duration.ofSeconds(10));
		assertThat(live.status()).isEqualTo(404);
		RawHttp.Response health = RawHttp.exchange(this.managementPort,
				"GET /actuator/health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII),
				Duration.ofSeconds(10));
		assertThat(health.status()).isEqualTo(200);
		assertAnotherClientIsServed();
	}

	private int port(String server) {
		return server.equals("api") ? this.port : this.managementPort;
	}

	private void assertAnotherClientIsServed() {
		RawHttp.Response response = RawHttp.exchange(this.port, V2HostileRequests.post("/v2/models/scorer/infer", "application/json", VALID.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"model_name\":\"scorer\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ModelRegistryCustomizer scorer() {
			return (builder) -> builder.model(TestRegistries.definition(HostileClientTests.BASE, "scorer", null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER));
		}

		@Bean
		RouterFunction<ServerResponse> echo() {
			return RouterFunctions.route()
				.POST("/echo", (request) -> request.bodyToMono(String.class)
					.flatMap((body) -> ServerResponse.ok().bodyValue(body))
					.switchIfEmpty(Mono.defer(() -> ServerResponse.ok().build())))
				.build();
		}

	}

}
