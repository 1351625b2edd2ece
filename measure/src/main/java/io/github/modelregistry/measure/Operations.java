package io.github.modelregistry.measure;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.modelregistry.measure.Report.Key;
import io.github.modelregistry.measure.Report.Metric;
import io.github.modelregistry.measure.Report.Ratio;
import io.github.modelregistry.measure.Report.Row;

/**
 * {@code operations}: what the operations around inference cost the application, per call: an anonymous
 * {@code GET /actuator/health}, an authenticated {@code GET /actuator/models}, the same with a wrong password (401, or
 * 429 once unknown credentials are rate-limited) and an authenticated reload ({@code POST /actuator/models/<model>},
 * versions 1 and 2 in turn). Each operation is called sequentially on one keep-alive connection (the JDK's client,
 * whose CPU is the tool's); the application's CPU over the calls divided by the calls is the figure. With two refs
 * the builds run side by side and the ratio of the second to the first is taken within each round.
 */
final class Operations {

	static final String NAME = "operations";

	/** Calls per measurement: enough that one clock tick is a small part of the figure */
	static final Map<String, Integer> CALLS = new LinkedHashMap<>();

	static {
		CALLS.put("health", 500);
		CALLS.put("models", 300);
		CALLS.put("wrong password", 100);
		CALLS.put("reload", 40);
	}

	private Operations() {
	}

	static Outcome run(Settings settings) {
		Builds builds = new Builds(settings.root());
		List<Builds.Build> built = settings.refs().stream().map((ref) -> builds.build(ref, List.of("sample-app"))).toList();
		List<Run> runs = new ArrayList<>();
		List<String> provenance = new ArrayList<>();
		List<String> names = new ArrayList<>();
		try (SideBySide apps = new SideBySide(settings, NAME)) {
			List<App> started = new ArrayList<>();
			for (Builds.Build build : built) {
				String name = (built.size() > 1) ? "sample@" + build.ref() : "sample";
				names.add(name);
				provenance.add(name + " at " + build.identity());
				started.add(apps.start(Subjects.sample(name, build.jar("sample-app"), settings.strategy(), List.of()),
						List.of()));
			}
			for (App app : started) {
				for (String operation : CALLS.keySet()) {
					warmUp(app, operation, CALLS.get(operation));
				}
			}
			for (int round = 1; round <= settings.rounds(); round++) {
				for (App app : Subjects.rotated(started, round)) {
					for (String operation : CALLS.keySet()) {
						WarmUp.jitQuiet(app, Duration.ofSeconds(10));
						Run run = calls(app, operation, CALLS.get(operation), round);
						runs.add(run);
						System.out.printf("round %d, %s %s: %.0f µs of app CPU per call, p50 %.2f ms%n", round,
								app.name(), operation, run.cpuMicros(), run.p50Ms());
					}
				}
			}
		}
		List<Row> rows = new ArrayList<>();
		List<Ratio> ratios = new ArrayList<>();
		for (String operation : CALLS.keySet()) {
			for (String name : names) {
				rows.add(new Row(new Key(name, operation), name + " " + operation));
			}
			if (names.size() > 1) {
				ratios.add(new Ratio(names.get(names.size() - 1) + " ÷ " + names.get(0) + ", " + operation,
						new Key(names.get(names.size() - 1), operation), List.of(new Key(names.get(0), operation)),
						Metric.CPU, null));
			}
		}
		List<String> method = List.of("Each operation called sequentially on one keep-alive connection, "
				+ CALLS + " calls per measurement, after chunks of as many calls of warm-up until two in a row spent "
				+ "at most 5 % of the app's CPU in the JIT (3 to 40 chunks); the JIT quiet for a second before each "
				+ "measurement. The application's CPU (from `/proc`) over the calls divided by "
				+ "the calls; the p50 and p99 are each call's time from request to answer. requests/s here is "
				+ "sequential calls per second.");
		return new Outcome(NAME, "What the operations around inference cost", method, provenance,
				"the JDK's HttpClient, one call at a time", new Report(rows, ratios), runs, List.of());
	}

	/** Chunks of warm-up calls before an operation is measured: at least this many, and at most */
	static final int WARM_UP_LEAST = 3;

	static final int WARM_UP_MOST = 40;

	/**
	 * Calls an operation in chunks until two chunks in a row spent at most 5 % of the application's CPU compiling (the
	 * JIT threads' share, from {@code /proc}): a few hundred sequential calls leave the management path to C1, and
	 * the JIT's work would otherwise be counted as the operation's.
	 */
	static void warmUp(App app, String operation, int chunk) {
		int quiet = 0;
		int chunks = 0;
		while (chunks < WARM_UP_MOST && (chunks < WARM_UP_LEAST || quiet < 2)) {
			Cpu.Sample before = app.cpu();
			calls(app, operation, chunk, 0);
			Map<String, Long> spent = app.cpu().since(before);
			long total = spent.values().stream().mapToLong(Long::longValue).sum();
			quiet = compiledLittle(spent.get("jit"), total) ? quiet + 1 : 0;
			chunks++;
		}
		System.out.printf("warm-up %s %s: %d chunks of %d calls%s%n", app, operation, chunks, chunk,
				(quiet < 2) ? ", the JIT still compiling" : "");
	}

	/** Whether the JIT's share of a chunk's CPU was at most 5 % */
	static boolean compiledLittle(long jit, long total) {
		return jit * 20 <= total;
	}

	/** {@code n} sequential calls of the operation; fails if one answers a status it should not */
	static Run calls(App app, String operation, int n, int round) {
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		String actuator = "http://localhost:" + app.managementPort() + "/actuator";
		String good = "Basic " + Base64.getEncoder()
			.encodeToString(("operator:" + Subjects.PASSWORD).getBytes(StandardCharsets.UTF_8));
		String bad = "Basic " + Base64.getEncoder()
			.encodeToString(("operator:wrong-" + Subjects.PASSWORD).getBytes(StandardCharsets.UTF_8));
		Set<Integer> expected = operation.equals("wrong password") ? Set.of(401, 429) : Set.of(200);
		long[] micros = new long[n];
		Cpu.Sample before = app.cpu();
		long start = System.nanoTime();
		for (int i = 0; i < n; i++) {
			HttpRequest.Builder request = switch (operation) {
				case "health" -> HttpRequest.newBuilder(URI.create(actuator + "/health"));
				case "models" -> HttpRequest.newBuilder(URI.create(actuator + "/models")).header("Authorization", good);
				case "wrong password" -> HttpRequest.newBuilder(URI.create(actuator + "/models"))
					.header("Authorization", bad);
				case "reload" -> HttpRequest.newBuilder(URI.create(actuator + "/models/" + Endpoint.MODEL))
					.header("Authorization", good)
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"version\":" + (1 + i % 2) + "}"));
				default -> throw new IllegalArgumentException(operation);
			};
			long t = System.nanoTime();
			try {
				HttpResponse<Void> response = http.send(request.timeout(Duration.ofSeconds(30)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (!expected.contains(response.statusCode())) {
					throw new IllegalStateException(app + " " + operation + " answered " + response.statusCode()
							+ "; see " + app.log());
				}
			}
			catch (java.io.IOException ex) {
				throw new IllegalStateException(app + " " + operation + ": " + ex, ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
			micros[i] = (System.nanoTime() - t) / 1000;
		}
		double seconds = (System.nanoTime() - start) / 1e9;
		Map<String, Long> ticks = app.cpu().since(before);
		Arrays.sort(micros);
		return new Run(round, app.name(), operation, n, 0, seconds, Driver.Recorder.percentile(micros, 0.5) / 1000.0,
				Driver.Recorder.percentile(micros, 0.99) / 1000.0, ticks);
	}

}
