package io.github.modelregistry.measure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.measure.Report.Goal;
import io.github.modelregistry.measure.Report.Key;
import io.github.modelregistry.measure.Report.Metric;
import io.github.modelregistry.measure.Report.Ratio;
import io.github.modelregistry.measure.Report.Row;

/**
 * {@code reloads}: what reloading the served model every second costs inference at saturation, on one sample app
 * process: phases without reloads and phases with one authenticated reload per second through Actuator (versions 1
 * and 2 in turn, so that every reload replaces the model), in pairs whose order alternates by round (ABBA), the ratio
 * taken within each pair. The reloads' own CPU (loading and warming each new session) counts: the figure is what an
 * inference costs while the model is being replaced every second.
 */
final class Reloads {

	static final String NAME = "reloads";

	static final String WITHOUT = "no reloads";

	static final String WITH = "reloading every second";

	private Reloads() {
	}

	static Outcome run(Settings settings) {
		Builds.Build build = new Builds(settings.root()).build(settings.refs().get(0), List.of("sample-app"));
		Measuring measuring = new Measuring(Load.choose(settings.driver()), settings.inFlight(), settings.lead(),
				settings.seconds());
		Endpoint infer = Endpoint.v2Json("V2 infer", Endpoint.INFER_PATH);
		List<Run> runs = new ArrayList<>();
		Map<String, Integer> statuses = new TreeMap<>();
		List<Double> reloadMillis = new ArrayList<>();
		try (SideBySide apps = new SideBySide(settings, NAME)) {
			App app = apps.start(Subjects.sample("sample", build.jar("sample-app"), settings.strategy(), List.of()),
					List.of(infer));
			// The reload path compiled too: the first two chunks reload every second, then as every warm-up
			try (Reloader reloader = new Reloader(app)) {
				WarmUp.untilSettled(app, measuring.load(), List.of(infer), settings.inFlight(), settings.warmUpChunk(),
						Math.min(2, settings.warmUpMost()));
			}
			WarmUp.untilSettled(app, measuring.load(), List.of(infer), settings.inFlight(), settings.warmUpChunk(),
					settings.warmUpMost());
			for (int round = 1; round <= settings.rounds(); round++) {
				List<String> phases = (round % 2 == 1) ? List.of(WITHOUT, WITH) : List.of(WITH, WITHOUT);
				for (String phase : phases) {
					if (phase.equals(WITH)) {
						try (Reloader reloader = new Reloader(app)) {
							runs.add(measuring.run(round, phase, app, infer));
							reloader.statuses.forEach((status, n) -> statuses.merge(status, n.get(), Integer::sum));
							reloadMillis.addAll(reloader.millis);
						}
					}
					else {
						runs.add(measuring.run(round, phase, app, infer));
					}
				}
			}
		}
		List<Row> rows = List.of(new Row(new Key(WITHOUT, "V2 infer"), "V2 infer, " + WITHOUT),
				new Row(new Key(WITH, "V2 infer"), "V2 infer, " + WITH));
		Key with = new Key(WITH, "V2 infer");
		List<Key> without = List.of(new Key(WITHOUT, "V2 infer"));
		List<Ratio> ratios = List.of(new Ratio("reloading ÷ not", with, without, Metric.CPU, Goal.atMost(1.03)),
				new Ratio("reloading ÷ not", with, without, Metric.P99, Goal.atMost(1.25)),
				new Ratio("reloading ÷ not", with, without, Metric.RPS, null));
		Summary took = Summary.of(reloadMillis);
		List<String> notes = List.of("Reload answers: " + statuses + " (status=count); each took "
				+ took.format(0) + " ms (median [min–max]) from request to answer.");
		List<String> method = List.of("One sample app process (as it ships) under saturated V2 JSON inference of "
				+ "`restaurant-ranker`; after a warm-up whose first two chunks reload every second (so that the reload "
				+ "path is compiled too), each round runs a phase without reloads and a phase with one authenticated "
				+ "`POST /actuator/models/restaurant-ranker` per second (versions 1 and 2 in turn), in an order that "
				+ "alternates by round (ABBA); ratios are taken within a round's pair. The app's CPU per inference "
				+ "includes the reloads' own work.");
		return new Outcome(NAME, "Reloading every second under saturation", method,
				List.of("sample at " + build.identity() + " (strategy " + settings.strategy() + ")"),
				measuring.load().name(), new Report(rows, ratios), runs, notes);
	}

	/** One authenticated reload per second on its own thread (the JDK's client: its CPU is the tool's) */
	static final class Reloader implements AutoCloseable {

		private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

		private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

		private final AtomicInteger version = new AtomicInteger(1);

		final Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();

		final ConcurrentLinkedQueue<Double> millis = new ConcurrentLinkedQueue<>();

		private final URI uri;

		private final String authorization = "Basic " + Base64.getEncoder()
			.encodeToString(("operator:" + Subjects.PASSWORD).getBytes(StandardCharsets.UTF_8));

		Reloader(App app) {
			this.uri = URI.create("http://localhost:" + app.managementPort() + "/actuator/models/" + Endpoint.MODEL);
			// Fixed delay: a reload slower than a second delays the next rather than piling up
			this.timer.scheduleWithFixedDelay(this::reload, 0, 1, TimeUnit.SECONDS);
		}

		private void reload() {
			int v = this.version.getAndUpdate((x) -> 3 - x);
			long start = System.nanoTime();
			String status;
			try {
				HttpResponse<Void> response = this.http.send(HttpRequest.newBuilder(this.uri)
					.timeout(Duration.ofSeconds(10))
					.header("Authorization", this.authorization)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"version\":" + v + "}"))
					.build(), HttpResponse.BodyHandlers.discarding());
				status = Integer.toString(response.statusCode());
			}
			catch (Exception ex) {
				status = ex.getClass().getSimpleName();
			}
			this.millis.add((System.nanoTime() - start) / 1e6);
			this.statuses.computeIfAbsent(status, (s) -> new AtomicInteger()).incrementAndGet();
		}

		@Override
		public void close() {
			this.timer.shutdown();
			try {
				if (!this.timer.awaitTermination(15, TimeUnit.SECONDS)) {
					throw new IllegalStateException("a reload did not end in 15 s");
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			if (this.statuses.keySet().stream().anyMatch((s) -> !s.equals("200"))) {
				System.out.println(String.format(Locale.ROOT, "measure: reloads answered %s", this.statuses));
			}
		}

	}

}
