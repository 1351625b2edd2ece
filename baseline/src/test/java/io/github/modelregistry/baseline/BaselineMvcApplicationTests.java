package io.github.modelregistry.baseline;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline as a bare Spring MVC application on a real Tomcat server: the same answers as on WebFlux.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=servlet")
class BaselineMvcApplicationTests {

	private static final Path BODY = Path.of("../gatling/src/test/resources/infer-10x40.json");

	@LocalServerPort
	private int port;

	@Test
	void liveAndInferenceAnswerAsOnWebFlux() throws Exception {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/live"))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(live.statusCode()).isEqualTo(200);
		assertThat(live.body()).isEqualTo("{\"live\":true}");
		HttpResponse<String> infer = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + this.port + "/infer"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(Files.readString(BODY)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(infer.statusCode()).as(infer.body()).isEqualTo(200);
		Map<?, ?> response = JsonMapper.builder().build().readValue(infer.body(), Map.class);
		assertThat(response.get("model_name")).isEqualTo("restaurant-ranker");
		List<?> data = (List<?>) ((Map<?, ?>) ((List<?>) response.get("outputs")).get(0)).get("data");
		float[] expected = BaselineApplicationTests.direct();
		assertThat(data).hasSize(expected.length);
		for (int i = 0; i < expected.length; i++) {
			assertThat(((Number) data.get(i)).floatValue()).as("score %d", i).isEqualTo(expected[i]);
		}
	}

}
