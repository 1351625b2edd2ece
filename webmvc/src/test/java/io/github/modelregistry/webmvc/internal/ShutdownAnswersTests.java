package io.github.modelregistry.webmvc.internal;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.ModelFolders;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.testing.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

import static io.github.modelregistry.testing.V2HostileRequests.INFER;
import static io.github.modelregistry.testing.V2HostileRequests.VALID;
import static io.github.modelregistry.testing.V2HostileRequests.ascii;
import static io.github.modelregistry.testing.V2HostileRequests.post;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the Spring MVC face answers while the server shuts down, on a real Tomcat server: a body still arriving when
 * the shutdown begins gets a second more, then a 503 that closes its connection (not the 10 s body time-out); once
 * the shutdown has begun, a 503 for a model the closing registry no longer serves closes its connection too, where
 * before it kept it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = "model-registry.web.body-timeout=10s")
@DirtiesContext
class ShutdownAnswersTests {

	@RegisterExtension
	static final ModelFolders MODELS = ModelFolders.create("shutdown-mvc-models")
		.with("scorer", 1, TestModels.scorer(4, 0f));

	@LocalServerPort
	int port;

	@Autowired
	ModelRegistry registry;

	@Autowired
	ServletRegistrationBean<V2InferenceServlet> registration;

	@Test
	void bodiesStillArrivingGetASecondAndUnservedModelsCloseTheirConnection() throws Exception {
		byte[] body = VALID.getBytes(StandardCharsets.UTF_8);
		try (Socket stalled = new Socket("localhost", this.port)) {
			stalled.setSoTimeout(20_000);
			OutputStream out = stalled.getOutputStream();
			out.write(ascii("POST " + INFER + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
					+ "Content-Length: " + body.length + "\r\n\r\n"));
			out.write(body, 0, 10);
			out.flush();
			CompletableFuture<RawHttp.Response> answer = RawHttp.readLater(stalled);
			// The server answers 200 and keeps the connection before the shutdown begins
			RawHttp.Response before = RawHttp.exchange(this.port, post(INFER, "application/json", body),
					Duration.ofSeconds(5));
			assertThat(before.status()).isEqualTo(200);
			long began = System.nanoTime();
			this.registration.getServlet().stopReadingBodies();
			RawHttp.Response late = answer.get(10, TimeUnit.SECONDS);
			assertThat(late.status()).as(late.toString()).isEqualTo(503);
			assertThat(late.body()).contains("shutting down");
			assertThat(late.closes()).isTrue();
			assertThat(Duration.ofNanos(System.nanoTime() - began)).isLessThan(Duration.ofSeconds(5));
		}
		this.registry.close();
		RawHttp.Response unserved = RawHttp.exchange(this.port, post(INFER, "application/json", body),
				Duration.ofSeconds(5));
		assertThat(unserved.status()).as(unserved.toString()).isEqualTo(503);
		assertThat(unserved.headers().toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
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
