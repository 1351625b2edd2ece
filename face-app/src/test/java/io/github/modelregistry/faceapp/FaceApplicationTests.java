package io.github.modelregistry.faceapp;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each face answers the body the benchmark sends, on its own server.
 */
class FaceApplicationTests {

	private static final Path BODY = Path.of("../gatling/src/test/resources/infer-10x40.json");

	@ParameterizedTest
	@ValueSource(strings = { "servlet", "reactive" })
	void eachFaceServesTheBenchmarksInference(String stack) throws Exception {
		try (ConfigurableApplicationContext context = SpringApplication.run(FaceApplication.class, "--server.port=0",
				"--spring.main.web-application-type=" + stack)) {
			WebServerApplicationContext web = (WebServerApplicationContext) context;
			assertThat(web.getWebServer().getClass().getSimpleName())
				.isEqualTo(stack.equals("servlet") ? "TomcatWebServer" : "NettyWebServer");
			HttpResponse<String> answer = HttpClient.newHttpClient()
				.send(HttpRequest
					.newBuilder(URI.create("http://localhost:" + web.getWebServer().getPort()
							+ "/v2/models/restaurant-ranker/infer"))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString(Files.readString(BODY)))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			assertThat(answer.body()).contains("\"model_name\":\"restaurant-ranker\"");
		}
	}

}
