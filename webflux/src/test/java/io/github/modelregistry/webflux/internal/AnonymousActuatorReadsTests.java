package io.github.modelregistry.webflux.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.TestRegistries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anonymous Actuator reads on a real Netty server: at most {@code anonymous-management-calls} run at once (more are
 * a 503 with Retry-After at once, calls with credentials are not counted), and a health check within a second of
 * another is answered from its result, by default.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "management.endpoints.web.exposure.include=health,slow",
				"model-registry.web.anonymous-management-calls=2" })
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AnonymousActuatorReadsTests {

	@LocalServerPort
	int port;

	@Autowired
	SlowEndpoint slow;

	@Autowired
	CountingHealth health;

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	@Test
	void anonymousCallsBeyondTheBoundAre503AtOnceAndCallsWithCredentialsAreNotCounted() throws Exception {
		List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
		for (int i = 0; i < 2; i++) {
			held.add(this.client.sendAsync(get("/actuator/slow"), HttpResponse.BodyHandlers.ofString()));
		}
		assertThat(this.slow.inside.await(10, TimeUnit.SECONDS)).as("both anonymous calls running").isTrue();
		HttpResponse<String> refused = this.client.send(get("/actuator/slow"), HttpResponse.BodyHandlers.ofString());
		assertThat(refused.statusCode()).isEqualTo(503);
		assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
		assertThat(refused.body()).contains("model-registry.web.anonymous-management-calls");
		HttpResponse<String> withCredentials = this.client.send(HttpRequest.newBuilder(uri("/actuator/health"))
			.header("Authorization", "Basic b3BlcmF0b3I6c2VjcmV0")
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(withCredentials.statusCode()).isEqualTo(200);
		HttpResponse<String> inference = this.client.send(HttpRequest.newBuilder(uri("/v2/health/live"))
			.timeout(Duration.ofSeconds(10))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(inference.statusCode()).as("V2 is not Actuator").isEqualTo(200);
		this.slow.release.countDown();
		for (CompletableFuture<HttpResponse<String>> call : held) {
			assertThat(call.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		}
		// The permits came back
		assertThat(this.client.send(get("/actuator/health"), HttpResponse.BodyHandlers.ofString()).statusCode())
			.isEqualTo(200);
	}

	@Test
	void aHealthCheckWithinASecondOfAnotherIsAnsweredFromItsResult() throws Exception {
		int before = this.health.calls.get();
		for (int i = 0; i < 20; i++) {
			assertThat(this.client.send(get("/actuator/health"), HttpResponse.BodyHandlers.ofString()).statusCode())
				.isEqualTo(200);
		}
		// 20 anonymous checks in a second or two: the indicator ran at most once a second (none at all when another
		// test's check is still cached), not 20 times
		assertThat(this.health.calls.get() - before).isLessThanOrEqualTo(3);
	}

	private HttpRequest get(String path) {
		return HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).build();
	}

	private URI uri(String path) {
		return URI.create("http://localhost:" + this.port + path);
	}

	@Endpoint(id = "slow")
	static class SlowEndpoint {

		final CountDownLatch inside = new CountDownLatch(2);

		final CountDownLatch release = new CountDownLatch(1);

		@ReadOperation
		String slow() throws InterruptedException {
			this.inside.countDown();
			this.release.await(30, TimeUnit.SECONDS);
			return "done";
		}

	}

	static class CountingHealth implements HealthIndicator {

		final AtomicInteger calls = new AtomicInteger();

		@Override
		public Health health() {
			this.calls.incrementAndGet();
			return Health.up().build();
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		SlowEndpoint slowEndpoint() {
			return new SlowEndpoint();
		}

		@Bean
		CountingHealth countingHealth() {
			return new CountingHealth();
		}

		@Bean
		ModelRegistryCustomizer scorer() {
			return (builder) -> builder.model(TestRegistries.definition(HostileClientTests.BASE, "scorer", null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER));
		}

	}

}
