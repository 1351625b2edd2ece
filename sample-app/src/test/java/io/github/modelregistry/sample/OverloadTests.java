package io.github.modelregistry.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import reactor.core.publisher.Flux;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app driven past its capacity, on localhost, bounded in clients and time: rejected requests are
 * answered at once with 429, accepted ones within the time limit, nothing fails with a 5xx, and service returns to
 * full success when the load stops. Figures are printed for the record; the assertions are on outcomes, not
 * times.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class OverloadTests {

	/** The status recorded for a request that got no answer in time, or whose connection failed. */
	private static final long NO_ANSWER = -1;

	private static ConfigurableApplicationContext start(String... args) {
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--management.server.port=0",
				"--spring.security.user.password=" + SampleModels.PASSWORD));
		arguments.addAll(List.of(args));
		return SpringApplication.run(SampleApplication.class, arguments.toArray(String[]::new));
	}

	private static int port(ConfigurableApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getProperty("local.server.port"));
	}

	@Test
	void overloadIsAnsweredFastAndTheServiceRecovers() throws Exception {
		// Since the body is read before a permit is asked for, 128 clients on 2 shared cores are bounded by HTTP
		// work, not by the model: the sample's bulkhead of 32 was reached by a handful of requests in 2,500, or by
		// none. A bulkhead of 4 puts the overload where this test looks for it, in the registry's protection.
		try (ConfigurableApplicationContext context = start(
				"--resilience4j.bulkhead.instances.restaurant-ranker.max-concurrent-calls=4")) {
			int port = port(context);
			int clients = 128;
			Duration load = Duration.ofSeconds(5);
			HttpClient http = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();
			HttpRequest request = HttpRequest
				.newBuilder(URI.create("http://localhost:" + port + "/v2/models/restaurant-ranker/infer"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(SampleModels.inferBody()))
				.timeout(Duration.ofSeconds(30))
				.build();
			Queue<long[]> results = new ConcurrentLinkedQueue<>();
			CyclicBarrier start = new CyclicBarrier(clients);
			ExecutorService pool = Executors.newFixedThreadPool(clients);
			long end = System.nanoTime() + load.toNanos() + TimeUnit.SECONDS.toNanos(1);
			for (int i = 0; i < clients; i++) {
				pool.submit(() -> {
					start.await();
					while (System.nanoTime() < end) {
						long began = System.nanoTime();
						long status;
						try {
							status = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
						}
						catch (IOException ex) {
							// No answer in time, or the connection failed: counted, so that the check below fails
							status = NO_ANSWER;
						}
						results.add(new long[] { status, System.nanoTime() - began });
					}
					return null;
				});
			}
			pool.shutdown();
			assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
			long stopped = System.nanoTime();

			Map<Long, Long> statuses = results.stream()
				.collect(Collectors.groupingBy((result) -> result[0], Collectors.counting()));
			// Overload was reached (the bulkhead rejected some) and nothing failed: only 200 and 429 (no NO_ANSWER)
			assertThat(statuses).containsKeys(200L, 429L);
			assertThat(statuses.keySet()).containsOnly(200L, 429L);

			// Full success returns at once: ten requests in a row answer 200
			await().atMost(Duration.ofSeconds(10)).until(() -> {
				for (int i = 0; i < 10; i++) {
					if (SampleModels.infer(port, "restaurant-ranker").statusCode() != 200) {
						return false;
					}
				}
				return true;
			});
			long recovered = System.nanoTime();
			System.out.printf("Overload, %d clients for %d s: %s; accepted p50 %.1f ms, p99 %.1f ms, max %.1f ms; "
					+ "rejected p50 %.1f ms, p99 %.1f ms, max %.1f ms; 10 successes in a row %.0f ms after the load "
					+ "stopped%n", clients, load.toSeconds(), statuses, percentile(results, 200, 50),
					percentile(results, 200, 99), percentile(results, 200, 100), percentile(results, 429, 50),
					percentile(results, 429, 99), percentile(results, 429, 100), (recovered - stopped) / 1e6);
		}
	}

	private static double percentile(Queue<long[]> results, long status, double percentile) {
		long[] latencies = results.stream().filter((result) -> result[0] == status).mapToLong((result) -> result[1])
			.sorted().toArray();
		if (latencies.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(latencies.length - 1, Math.ceil(percentile / 100 * latencies.length) - 1);
		return latencies[Math.max(0, index)] / 1e6;
	}

	@Test
	void perRequestSurvivesTheArticlesBurstOfAThousandConcurrentRequests() throws Exception {
		try (ConfigurableApplicationContext context = start("--model-registry.strategy=per-request")) {
			int port = port(context);
			long rssBefore = residentKilobytes();
			ConnectionProvider connections = ConnectionProvider.builder("burst").maxConnections(1000)
				.pendingAcquireMaxCount(-1).build();
			WebClient client = WebClient.builder()
				.baseUrl("http://localhost:" + port)
				.clientConnector(new ReactorClientHttpConnector(reactor.netty.http.client.HttpClient.create(connections)))
				.build();
			Queue<Integer> health = new ConcurrentLinkedQueue<>();
			Thread prober = new Thread(() -> {
				for (int i = 0; i < 20; i++) {
					health.add(SampleModels.get(port, "/v2/health/live", false).statusCode());
				}
			}, "health-prober");
			try {
				prober.start();
				List<Integer> statuses = Flux.range(0, 1000)
					.flatMap((i) -> client.post()
						.uri("/v2/models/restaurant-ranker/infer")
						.contentType(MediaType.APPLICATION_JSON)
						.bodyValue(SampleModels.inferBody())
						.exchangeToMono((response) -> response.releaseBody().thenReturn(response.statusCode().value())),
							1000)
					.collectList()
					.block(Duration.ofSeconds(120));
				prober.join(60_000);
				long rssAfter = residentKilobytes();
				Map<Integer, Long> counts = statuses.stream()
					.collect(Collectors.groupingBy((status) -> status, Collectors.counting()));
				System.out.printf("per-request burst of 1000: %s; health during the burst %s; RSS %d MB -> %d MB%n",
						counts, health, rssBefore / 1024, rssAfter / 1024);
				assertThat(statuses).hasSize(1000);
				assertThat(counts.keySet()).containsAnyOf(200).isSubsetOf(200, 429);
				assertThat(health).hasSize(20).containsOnly(200);
				assertThat(SampleModels.infer(port, "restaurant-ranker").statusCode()).isEqualTo(200);
				// At most 32 loads at once (the bulkhead) of a 9 kB model: native memory cannot run away
				assertThat(rssAfter - rssBefore).as("resident memory growth in kB").isLessThan(1024 * 1024);
			}
			finally {
				connections.dispose();
			}
		}
	}

	private static long residentKilobytes() throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		throw new IllegalStateException("no VmRSS");
	}

}
