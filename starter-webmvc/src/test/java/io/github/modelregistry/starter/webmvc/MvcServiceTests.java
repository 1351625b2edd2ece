package io.github.modelregistry.starter.webmvc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.github.modelregistry.onnx.TestModels;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A Spring MVC service built on {@code model-registry-spring-boot-starter-webmvc}, started as a user's {@code main}
 * starts it (with Spring Security's defaults): Tomcat, no WebFlux or Reactor Netty on its class path, and the Open
 * Inference Protocol answering a real ONNX model's inference, observed under its route's name.
 */
class MvcServiceTests {

	private static final String SCORES = "{\"inputs\":[{\"name\":\"features\",\"shape\":[1,4],\"datatype\":\"FP32\","
			+ "\"data\":[1,2,3,4]}]}";

	@TempDir
	Path models;

	@Test
	void theStarterBringsTomcatAndSpringMvcAndNoReactiveStack() {
		for (String type : List.of("org.springframework.web.servlet.DispatcherServlet",
				"org.apache.catalina.startup.Tomcat")) {
			assertThat(ClassUtils.isPresent(type, null)).as(type).isTrue();
		}
		for (String type : List.of("org.springframework.web.reactive.DispatcherHandler",
				"reactor.netty.http.server.HttpServer", "io.netty.channel.Channel")) {
			assertThat(ClassUtils.isPresent(type, null)).as(type).isFalse();
		}
	}

	@Test
	void aSpringMvcServiceServesV2InferenceOnTomcat() throws Exception {
		TestModels.write(this.models, "scorer", 1, TestModels.scorer(4, 0.5f));
		SpringApplication application = new SpringApplication(MvcService.class);
		try (ConfigurableApplicationContext context = application.run("--server.port=0",
				"--model-registry.base-path=" + this.models, "--model-registry.models.scorer.load=eager",
				"--management.endpoints.web.exposure.include=health,metrics", "--spring.security.user.name=operator",
				"--spring.security.user.password=secret")) {
			assertThat(application.getWebApplicationType()).isEqualTo(WebApplicationType.SERVLET);
			int port = ((WebServerApplicationContext) context).getWebServer().getPort();
			HttpClient http = HttpClient.newHttpClient();
			HttpResponse<String> answer = http.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/v2/models/scorer/infer"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(SCORES))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
			float expected = (float) (1 / (1 + Math.exp(-(1 * -0.5 + 2 * -0.25 + 3 * 0 + 4 * 0.25 + 0.5))));
			assertThat(answer.body()).contains("\"model_name\":\"scorer\"").contains("\"model_version\":\"1\"");
			String data = answer.body().substring(answer.body().indexOf("\"data\":[") + 8, answer.body().indexOf("]}"));
			assertThat(Float.parseFloat(data)).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
			// The request is observed under its route, as Spring MVC's own routes are
			HttpResponse<String> metric = http.send(HttpRequest
				.newBuilder(URI.create("http://localhost:" + port
						+ "/actuator/metrics/http.server.requests?tag=uri:/v2/models/%7Bname%7D/infer"))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("operator:secret".getBytes()))
				.timeout(Duration.ofSeconds(10))
				.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(metric.statusCode()).as(metric.body()).isEqualTo(200);
			assertThat(metric.body()).contains("\"statistic\":\"COUNT\",\"value\":1.0");
		}
	}

	@SpringBootApplication
	static class MvcService {

	}

}
