package io.github.modelregistry.webmvc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.testing.RawHttp;
import io.github.modelregistry.testing.RawHttp2;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static io.github.modelregistry.testing.V2HostileRequests.INFER;
import static io.github.modelregistry.testing.V2HostileRequests.VALID;
import static io.github.modelregistry.testing.V2HostileRequests.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring MVC face with h2c on ({@code server.http2.enabled=true} without TLS, Tomcat's HTTP/2) and on the
 * management server's own Tomcat: silent connections are closed on both ports; a V2 stream whose body never comes is
 * answered 408 at the body time-out; a client that opens and resets streams at once (HTTP/2 rapid reset) is sent a
 * GOAWAY by Tomcat; HTTP/2 inference works by prior knowledge and by upgrade; the management port serves no V2
 * inference. After each, another client's inference on the API port is answered.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.http2.enabled=true", "management.server.port=0",
				"management.endpoints.web.exposure.include=health", "model-registry.web.header-timeout=1s",
				"model-registry.web.body-timeout=2s" })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SlowClientsOnEveryPortTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("slow-clients-mvc-models")
		.with("scorer", 1, TestModels.scorer(4, 0f));

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@ParameterizedTest(name = "{0}")
	@ValueSource(strings = { "api", "management" })
	void aSilentConnectionIsClosed(String server) throws Exception {
		try (Socket silent = new Socket("localhost", port(server))) {
			silent.setSoTimeout(10_000);
			long began = System.nanoTime();
			InputStream in = silent.getInputStream();
			assertThat(in.read()).as("the connection closed").isEqualTo(-1);
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(8));
		}
		assertAnotherClientIsServed();
	}

	@Test
	void anHttp2V2StreamWhoseBodyNeverComesIsAnswered408() throws Exception {
		long began = System.nanoTime();
		try (RawHttp2 h2 = new RawHttp2(this.port)) {
			h2.headers(1, RawHttp2.request("POST", INFER, "content-type", "application/json", "content-length", "80"),
					false);
			h2.flush();
			RawHttp2.Frame frame = h2.awaitFrame(RawHttp2.HEADERS, RawHttp2.RST_STREAM, RawHttp2.GOAWAY);
			assertThat(frame).as("the server answered the stream").isNotNull();
			assertThat(frame.stream()).isEqualTo(1);
			assertThat(frame.type()).isIn(RawHttp2.HEADERS, RawHttp2.RST_STREAM);
		}
		assertThat(Duration.ofNanos(System.nanoTime() - began)).isGreaterThanOrEqualTo(Duration.ofSeconds(1))
			.isLessThan(Duration.ofSeconds(15));
		assertAnotherClientIsServed();
	}

	/**
	 * HTTP/2 rapid reset (CVE-2023-44487): 1,000 streams opened and reset at once on one connection. Tomcat counts
	 * a reset as overhead and sends a GOAWAY once a connection's overhead passes its bound.
	 */
	@Test
	void rapidResetGetsAGoAway() throws Exception {
		try (RawHttp2 h2 = new RawHttp2(this.port)) {
			Map<String, String> headers = RawHttp2.request("POST", INFER, "content-type", "application/json");
			int sent = 0;
			try {
				for (int i = 0; i < 1000; i++) {
					int stream = 2 * i + 1;
					h2.headers(stream, headers, false);
					h2.reset(stream);
					sent++;
				}
				h2.flush();
			}
			catch (IOException closed) {
				// The server may close the connection while the client is still writing
			}
			RawHttp2.Frame goAway = h2.awaitFrame(RawHttp2.GOAWAY);
			assertThat(goAway).as("a GOAWAY after %d resets", sent).isNotNull();
		}
		assertAnotherClientIsServed();
	}

	@Test
	void http2ByPriorKnowledgeAndByUpgradeServesInference() throws Exception {
		try (RawHttp2 h2 = new RawHttp2(this.port)) {
			h2.headers(1, RawHttp2.request("GET", "/v2/health/live"), true);
			h2.flush();
			RawHttp2.Frame frame = h2.awaitFrame(RawHttp2.HEADERS, RawHttp2.RST_STREAM, RawHttp2.GOAWAY);
			assertThat(frame).isNotNull();
			assertThat(frame.type()).isEqualTo(RawHttp2.HEADERS);
		}
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
		HttpResponse<String> inference = client.send(HttpRequest
			.newBuilder(URI.create("http://localhost:" + this.port + INFER))
			.timeout(Duration.ofSeconds(10))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(VALID))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(inference.statusCode()).as(inference.body()).isEqualTo(200);
		assertThat(inference.body()).contains("\"model_name\":\"scorer\"");
	}

	@Test
	void theManagementPortServesNoV2Inference() {
		RawHttp.Response management = RawHttp.exchange(this.managementPort,
				post(INFER, "application/json", VALID.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(10));
		assertThat(management.status()).as(management.toString()).isEqualTo(404);
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
		RawHttp.Response response = RawHttp.exchange(this.port,
				post(INFER, "application/json", VALID.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(5));
		assertThat(response.status()).as(response.toString()).isEqualTo(200);
		assertThat(response.body()).contains("\"model_name\":\"scorer\"");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ModelRegistryCustomizer scorer() {
			return (builder) -> builder.model(TestRegistries.definition(MODELS.base(), "scorer", null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER));
		}

	}

}
