package io.github.modelregistry.sample;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Operating the sample app's models through Actuator, on a real server with its management port and security.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ModelOperationsTests {

	static final Path BASE = createBase();

	@LocalServerPort
	int port;

	@LocalManagementPort
	int managementPort;

	@Autowired
	MeterRegistry meters;

	static Path createBase() {
		try {
			return SampleModels.copy(Files.createTempDirectory("operations"), "restaurant-ranker", 1, 2);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@DynamicPropertySource
	static void properties(DynamicPropertyRegistry registry) {
		registry.add("model-registry.base-path", () -> "file:" + BASE);
		registry.add("model-registry.models.ranker-static.path", () -> "file:" + BASE.resolve("restaurant-ranker"));
		registry.add("model-registry.models.ranker-static.strategy", () -> "static");
		registry.add("management.server.port", () -> "0");
		registry.add("spring.security.user.password", () -> SampleModels.PASSWORD);
	}

	@Test
	void listingAndDetailNeedCredentials() {
		assertThat(SampleModels.get(this.managementPort, "/actuator/models", false).statusCode()).isEqualTo(401);
		HttpResponse<String> list = SampleModels.get(this.managementPort, "/actuator/models", true);
		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.body()).contains("\"name\":\"restaurant-ranker\"", "\"name\":\"ranker-static\"",
				"\"strategy\":\"sharded-rcu\"", "\"strategy\":\"static\"", "\"availableVersions\":[1,2]",
				"\"inFlightReads\":", "\"counters\":");
		HttpResponse<String> detail = SampleModels.get(this.managementPort, "/actuator/models/restaurant-ranker",
				true);
		assertThat(detail.statusCode()).isEqualTo(200);
		assertThat(detail.body()).contains("\"state\":\"AVAILABLE\"", "\"version\":2", "\"loadMillis\":");
		assertThat(SampleModels.get(this.managementPort, "/actuator/models/nope", true).statusCode()).isEqualTo(404);
	}

	@Test
	void theInferencePortIgnoresCredentialsAndCannotSpendTheOperatorsPasswordChecks() {
		// Spring Security runs on the management port only: a wrong Authorization header on the open port is not
		// checked (before, each was a 401 and a bcrypt check from the operator's budget of a few per second)
		String wrong = "Basic "
				+ Base64.getEncoder().encodeToString("operator:not-the-password".getBytes(StandardCharsets.UTF_8));
		for (int i = 0; i < 3 * CachingAuthenticationManager.CHECKS_PER_SECOND + 1; i++) {
			assertThat(SampleModels.infer(this.port, "restaurant-ranker", wrong).statusCode()).isEqualTo(200);
		}
		// The management port still checks: without credentials 401, the operator's own get through at once
		assertThat(SampleModels.get(this.managementPort, "/actuator/models", false).statusCode()).isEqualTo(401);
		assertThat(SampleModels.get(this.managementPort, "/actuator/models", true).statusCode()).isEqualTo(200);
	}

	@Test
	void reloadsToTheLatestVersionAndToAGivenOne() {
		HttpResponse<String> toFirst = SampleModels.reload(this.managementPort, "restaurant-ranker",
				"{\"version\": 1}", true);
		assertThat(toFirst.statusCode()).isEqualTo(200);
		assertThat(toFirst.body()).contains("\"outcome\":\"RELOADED\"", "\"previousVersion\":2", "\"version\":1",
				"\"tookMillis\":");
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").body()).contains("\"model_version\":\"1\"");
		HttpResponse<String> toLatest = SampleModels.reload(this.managementPort, "restaurant-ranker", "{}", true);
		assertThat(toLatest.statusCode()).isEqualTo(200);
		assertThat(toLatest.body()).contains("\"previousVersion\":1", "\"version\":2");
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").body()).contains("\"model_version\":\"2\"");
	}

	@Test
	void staticRefusesWith409AndUnknownModelsAndVersionsAre404() {
		HttpResponse<String> refused = SampleModels.reload(this.managementPort, "ranker-static", "{}", true);
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("\"outcome\":\"REFUSED\"", "static strategy");
		HttpResponse<String> unknownModel = SampleModels.reload(this.managementPort, "nope", "{}", true);
		assertThat(unknownModel.statusCode()).isEqualTo(404);
		assertThat(unknownModel.body()).contains("Unknown model 'nope'");
		HttpResponse<String> unknownVersion = SampleModels.reload(this.managementPort, "restaurant-ranker",
				"{\"version\": 9}", true);
		assertThat(unknownVersion.statusCode()).isEqualTo(404);
		assertThat(unknownVersion.body()).contains("\"outcome\":\"NOT_FOUND\"", "available versions are [1, 2]");
	}

	@Test
	void anOperatorRegistersAModelAtRunTimeAndUnregistersItAndNobodyElseCan() {
		SampleModels.copy(BASE, "ranker-guest", 1);
		HttpResponse<String> anonymous = SampleModels.register(this.managementPort, "ranker-guest", false);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(SampleModels.infer(this.port, "ranker-guest").statusCode()).isEqualTo(404);

		HttpResponse<String> registered = SampleModels.register(this.managementPort, "ranker-guest", true);
		assertThat(registered.statusCode()).isEqualTo(201);
		assertThat(registered.body()).contains("\"outcome\":\"REGISTERED\"", "\"state\":\"AVAILABLE\"");
		HttpResponse<String> answer = SampleModels.infer(this.port, "ranker-guest");
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("\"model_name\":\"ranker-guest\"", "\"model_version\":\"1\"");

		assertThat(SampleModels.unregister(this.managementPort, "ranker-guest", false).statusCode()).isEqualTo(401);
		assertThat(SampleModels.infer(this.port, "ranker-guest").statusCode()).isEqualTo(200);
		HttpResponse<String> unregistered = SampleModels.unregister(this.managementPort, "ranker-guest", true);
		assertThat(unregistered.statusCode()).isEqualTo(200);
		HttpResponse<String> gone = SampleModels.infer(this.port, "ranker-guest");
		assertThat(gone.statusCode()).isEqualTo(404);
		assertThat(gone.body()).contains("\"error\":", "Unknown model 'ranker-guest'");
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
	}

	@Test
	void theModelRepositoryExtensionIsOffUnlessTurnedOn() {
		assertThat(SampleModels.post(this.managementPort, "/v2/repository/index", "{}", true).statusCode()).isEqualTo(404);
		assertThat(SampleModels.post(this.port, "/v2/repository/index", "{}", true).statusCode()).isEqualTo(404);
	}

	@Test
	void aRegistrationThatNamesAPathIsRefusedWithoutTouchingTheDisk() {
		HttpResponse<String> refused = SampleModels.register(this.managementPort, "../operations", true);
		assertThat(refused.statusCode()).isEqualTo(400);
		assertThat(refused.body()).contains("\"outcome\":\"INVALID\"", "Invalid model name");
		assertThat(SampleModels.get(this.managementPort, "/actuator/models", true).body())
			.doesNotContain("\"name\":\"../operations\"");
	}

	@Test
	void unauthenticatedReloadIsRefusedAndChangesNothing() {
		HttpResponse<String> anonymous = SampleModels.reload(this.managementPort, "restaurant-ranker",
				"{\"version\": 1}", false);
		assertThat(anonymous.statusCode()).isEqualTo(401);
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").body()).contains("\"model_version\":\"2\"");
		HttpResponse<String> wrongPassword = SampleModels.reload(this.managementPort, "restaurant-ranker", "{}",
				"Basic " + java.util.Base64.getEncoder().encodeToString("operator:guess".getBytes()));
		assertThat(wrongPassword.statusCode()).isEqualTo(401);
		// The inference API stays open
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
	}

	@Test
	void aTruncatedModelFileFailsTheReloadWhileTheOldVersionAnswersThroughout() throws Exception {
		byte[] committed = Files.readAllBytes(BASE.resolve("restaurant-ranker/2/model.onnx"));
		Path third = Files.createDirectories(BASE.resolve("restaurant-ranker/3"));
		Files.write(third.resolve("model.onnx"), Arrays.copyOf(committed, committed.length / 2));
		AtomicBoolean done = new AtomicBoolean();
		List<Integer> statuses = java.util.Collections.synchronizedList(new ArrayList<>());
		List<String> versions = java.util.Collections.synchronizedList(new ArrayList<>());
		Thread client = new Thread(() -> {
			do {
				HttpResponse<String> response = SampleModels.infer(this.port, "restaurant-ranker");
				statuses.add(response.statusCode());
				versions.add(response.body().replaceAll(".*\"model_version\":\"(\\d+)\".*", "$1"));
			}
			while (!done.get());
		});
		try {
			client.start();
			HttpResponse<String> failed = SampleModels.reload(this.managementPort, "restaurant-ranker", "{}", true);
			assertThat(failed.statusCode()).isEqualTo(500);
			assertThat(failed.body()).contains("\"outcome\":\"FAILED\"", "\"previousVersion\":2", "\"version\":2",
					"\"requestedVersion\":null");
			assertThat(SampleModels.get(this.managementPort, "/actuator/models/restaurant-ranker", true).body())
				.contains("\"version\":2", "\"lastError\":\"");
		}
		finally {
			done.set(true);
			client.join(30_000);
			Files.delete(third.resolve("model.onnx"));
			Files.delete(third);
		}
		assertThat(statuses).isNotEmpty().containsOnly(200);
		assertThat(versions).containsOnly("2");
	}

	@Test
	void readinessIncludesTheModelsAndLivenessDoesNot() {
		HttpResponse<String> readiness = SampleModels.get(this.managementPort, "/actuator/health/readiness", false);
		assertThat(readiness.statusCode()).isEqualTo(200);
		assertThat(readiness.body()).contains("\"models\"", "\"restaurant-ranker\":{\"status\":\"UP\"}");
		HttpResponse<String> liveness = SampleModels.get(this.managementPort, "/actuator/health/liveness", false);
		assertThat(liveness.statusCode()).isEqualTo(200);
		assertThat(liveness.body()).doesNotContain("models");
		// Details only for an authenticated operator
		assertThat(SampleModels.get(this.managementPort, "/actuator/health", true).body())
			.contains("\"strategy\":\"sharded-rcu\"", "\"load\":\"eager\"");
		assertThat(SampleModels.get(this.managementPort, "/actuator/health", false).body())
			.doesNotContain("\"strategy\"");
	}

	@Test
	void withoutTheTracingProfileThereIsNoTracerAndInferenceObservationsOnlyMakeMetrics(
			@Autowired org.springframework.context.ApplicationContext context) {
		// Micrometer Tracing is on the class path; application.yaml leaves its auto-configuration out by default
		assertThat(context.getBeanNamesForType(io.micrometer.tracing.Tracer.class)).isEmpty();
		assertThat(context.getBeanNamesForType(io.micrometer.tracing.handler.TracingObservationHandler.class))
			.isEmpty();
	}

	@Test
	void metricsCountInferencesAndReloadOutcomes() {
		double before = inferences();
		int count = 25;
		for (int i = 0; i < count; i++) {
			assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
		}
		assertThat(inferences()).isEqualTo(before + count);
		assertThat(this.meters.get("model.holder.wait").tag("model", "restaurant-ranker").timer().count())
			.isGreaterThanOrEqualTo(count);
		long notFoundBefore = reloads("not_found");
		SampleModels.reload(this.managementPort, "restaurant-ranker", "{\"version\": 8}", true);
		assertThat(reloads("not_found")).isEqualTo(notFoundBefore + 1);
		long reloadedBefore = reloads("reloaded");
		SampleModels.reload(this.managementPort, "restaurant-ranker", "{\"version\": 2}", true);
		assertThat(reloads("reloaded")).isEqualTo(reloadedBefore + 1);
		assertThat(this.meters.get("model.version").tag("model", "restaurant-ranker").gauge().value()).isEqualTo(2);
		HttpResponse<String> prometheus = SampleModels.get(this.managementPort, "/actuator/prometheus", false);
		assertThat(prometheus.statusCode()).isEqualTo(200);
		// From the registry's observation of each inference: the version is on the span, not on the timer
		assertThat(prometheus.body()).contains("model_inference_seconds_count{error=\"none\","
				+ "model=\"restaurant-ranker\",outcome=\"success\",strategy=\"sharded-rcu\"}");
	}

	private double inferences() {
		var timer = this.meters.find("model.inference")
			.tags("model", "restaurant-ranker", "outcome", "success")
			.timer();
		return (timer != null) ? timer.count() : 0;
	}

	private long reloads(String outcome) {
		var timer = this.meters.find("model.reload").tags("model", "restaurant-ranker", "outcome", outcome).timer();
		return (timer != null) ? timer.count() : 0;
	}

}
