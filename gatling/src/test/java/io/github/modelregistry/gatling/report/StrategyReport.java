package io.github.modelregistry.gatling.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the {@code js/stats.json} files the comparison collected and writes {@code strategies.md} and PNG charts:
 * saturation throughput per strategy (and its ratio to {@code static} and to the HTTP ceiling), latency at a fixed
 * arrival rate, latency while reloading every second, and the 1,000-request burst.
 * <p>
 * Arguments: the folder of collected stats, the output folder, the seconds per run, the open-model rate.
 */
public final class StrategyReport {

	static final List<String> STRATEGIES = List.of("sharded-rcu", "rwlock", "mutex", "static", "per-request");

	private final Path raw;

	private final JsonMapper json = JsonMapper.builder().build();

	StrategyReport(Path raw) {
		this.raw = raw;
	}

	public static void main(String[] args) throws IOException {
		System.setProperty("java.awt.headless", "true");
		Path raw = Path.of(args[0]);
		Path out = Path.of(args[1]);
		new StrategyReport(raw).write(out, args[2], args[3]);
	}

	/**
	 * The figures of one run: of the {@code infer} requests if the run had several kinds, else of all.
	 */
	record Stats(long ok, long ko, double rps, double mean, double p50, double p95, double p99, double p999,
			double max) {
	}

	private List<Path> rounds() throws IOException {
		try (var folders = Files.list(this.raw)) {
			return folders.filter(Files::isDirectory).sorted().toList();
		}
	}

	Stats stats(Path round, String name) throws IOException {
		Path file = round.resolve(name + ".json");
		if (!Files.exists(file)) {
			return null;
		}
		JsonNode root = this.json.readTree(file.toFile());
		JsonNode stats = root.get("stats");
		JsonNode contents = root.get("contents");
		if (contents != null) {
			for (JsonNode request : contents) {
				if ("infer".equals(request.path("name").asString())) {
					stats = request.get("stats");
				}
			}
		}
		return new Stats(stats.path("numberOfRequests").path("ok").asLong(),
				stats.path("numberOfRequests").path("ko").asLong(),
				stats.path("meanNumberOfRequestsPerSecond").path("total").asDouble(),
				stats.path("meanResponseTime").path("total").asDouble(),
				stats.path("percentiles1").path("total").asDouble(), stats.path("percentiles2").path("total").asDouble(),
				stats.path("percentiles3").path("total").asDouble(), stats.path("percentiles4").path("total").asDouble(),
				stats.path("maxResponseTime").path("total").asDouble());
	}

	/**
	 * Every round's figures of one run, by strategy.
	 */
	private Map<String, List<Stats>> collect(String simulation) throws IOException {
		Map<String, List<Stats>> runs = new LinkedHashMap<>();
		for (String strategy : STRATEGIES) {
			List<Stats> rounds = new ArrayList<>();
			for (Path round : rounds()) {
				Stats stats = stats(round, strategy + "-" + simulation);
				if (stats != null) {
					rounds.add(stats);
				}
			}
			if (!rounds.isEmpty()) {
				runs.put(strategy, rounds);
			}
		}
		return runs;
	}

	static double median(List<Double> values) {
		List<Double> sorted = values.stream().sorted().toList();
		int n = sorted.size();
		return (n % 2 == 1) ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
	}

	private static double median(List<Stats> runs, java.util.function.ToDoubleFunction<Stats> field) {
		return median(runs.stream().map(field::applyAsDouble).toList());
	}

	static String spread(List<Double> values, String format) {
		double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
		double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
		return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", median(values), min, max);
	}

	void write(Path out, String secondsPerRun, String rate) throws IOException {
		Files.createDirectories(out);
		List<Stats> ceilings = new ArrayList<>();
		for (Path round : rounds()) {
			Stats ceiling = stats(round, "ceiling");
			if (ceiling != null) {
				ceilings.add(ceiling);
			}
		}
		Map<String, List<Stats>> saturation = collect("saturation");
		Map<String, List<Stats>> open = collect("open");
		Map<String, List<Stats>> reload = collect("reload");
		Map<String, List<Stats>> burst = collect("burst");
		StringBuilder md = new StringBuilder();
		md.append("# Strategies compared end to end over HTTP\n\n");
		md.append(String.format(Locale.ROOT, "Measured %s on %d cores, %s %s, Gatling 3.13.4 on the same machine as "
				+ "the app (both share the cores). %d rounds, the strategies taking turns in each; every app started "
				+ "fresh and warmed up until its JIT settled (`warm_up` in `gatling/app.sh`); %s s per simulation; "
				+ "open-model rate %s requests/s; closed model 32 users. Medians with [min–max] over the rounds. Generated by `gatling/compare.sh`.%n%n",
				LocalDate.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
				System.getProperty("java.version"), rounds().size(), secondsPerRun, rate));
		if (!ceilings.isEmpty()) {
			md.append(String.format(Locale.ROOT, "HTTP ceiling (`GET /v2/health/live`, 32 users): %s requests/s, "
					+ "p99 %.0f ms.%n%n", spread(ceilings.stream().map(Stats::rps).toList(), "%.0f"),
					median(ceilings, Stats::p99)));
		}
		md.append("## Saturation: 10×40 inference, 32 requests in flight\n\n");
		md.append("RPS ÷ static and ÷ ceiling are computed within each round, then summarised.\n\n");
		md.append("| strategy | RPS | ÷ static | ÷ ceiling | p50 ms | p99 ms | p99.9 ms | max ms | errors |\n");
		md.append("|---|---|---|---|---|---|---|---|---|\n");
		List<Stats> statics = saturation.getOrDefault("static", List.of());
		for (Map.Entry<String, List<Stats>> entry : saturation.entrySet()) {
			List<Stats> runs = entry.getValue();
			md.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.0f | %.0f | %.0f | %.0f | %d |%n",
					entry.getKey(), spread(runs.stream().map(Stats::rps).toList(), "%.0f"), ratios(runs, statics),
					ratios(runs, ceilings), median(runs, Stats::p50), median(runs, Stats::p99),
					median(runs, Stats::p999), median(runs, Stats::max), runs.stream().mapToLong(Stats::ko).sum()));
		}
		md.append("\n## Fixed arrival rate (open model): latency when the load is what the service sees\n\n");
		md.append("| strategy | RPS | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | errors |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		for (Map.Entry<String, List<Stats>> entry : open.entrySet()) {
			List<Stats> runs = entry.getValue();
			md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %s | %.0f | %.0f | %d |%n",
					entry.getKey(), median(runs, Stats::rps), median(runs, Stats::p50), median(runs, Stats::p95),
					spread(runs.stream().map(Stats::p99).toList(), "%.0f"), median(runs, Stats::p999),
					median(runs, Stats::max), runs.stream().mapToLong(Stats::ko).sum()));
		}
		md.append("\n## Reloading versions 1 and 2 through Actuator every second, same arrival rate\n\n");
		md.append("| strategy | p50 ms | p95 ms | p99 ms | p99.9 ms | max ms | failed inferences | p99 ÷ p99 without reloads |\n");
		md.append("|---|---|---|---|---|---|---|---|\n");
		for (Map.Entry<String, List<Stats>> entry : reload.entrySet()) {
			List<Stats> runs = entry.getValue();
			List<Stats> without = open.getOrDefault(entry.getKey(), List.of());
			md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %s | %.0f | %.0f | %d | %s |%n",
					entry.getKey(), median(runs, Stats::p50), median(runs, Stats::p95),
					spread(runs.stream().map(Stats::p99).toList(), "%.0f"), median(runs, Stats::p999),
					median(runs, Stats::max), runs.stream().mapToLong(Stats::ko).sum(),
					without.isEmpty() ? "n/a" : String.format(Locale.ROOT, "%.2f",
							median(runs, Stats::p99) / median(without, Stats::p99))));
		}
		md.append("\n## The article's burst: 1,000 requests at once\n\n");
		md.append("Rejections are the bulkhead's immediate 429s (32 admitted at once in the sample app).\n\n");
		md.append("| strategy | answered | rejected or failed | p50 ms | p99 ms | max ms |\n|---|---|---|---|---|---|\n");
		for (Map.Entry<String, List<Stats>> entry : burst.entrySet()) {
			List<Stats> runs = entry.getValue();
			md.append(String.format(Locale.ROOT, "| %s | %.0f | %.0f | %.0f | %.0f | %.0f |%n", entry.getKey(),
					median(runs, (stats) -> stats.ok()), median(runs, (stats) -> stats.ko()), median(runs, Stats::p50),
					median(runs, Stats::p99), median(runs, Stats::max)));
		}
		md.append("\n![Saturation throughput](saturation-rps.png)\n\n![Latency at a fixed rate](open-latency.png)\n");
		Files.writeString(out.resolve("strategies.md"), md.toString());
		chart(out.resolve("saturation-rps"), "Saturation throughput, median of rounds (requests/s)", "RPS",
				saturation, Stats::rps);
		percentileChart(out.resolve("open-latency"), open);
	}

	/**
	 * Per round, the strategy's RPS over the reference's RPS in that round; summarised as median [min–max].
	 */
	private static String ratios(List<Stats> runs, List<Stats> references) {
		if (references.isEmpty()) {
			return "n/a";
		}
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < Math.min(runs.size(), references.size()); i++) {
			ratios.add(runs.get(i).rps() / references.get(i).rps());
		}
		return spread(ratios, "%.2f");
	}

	private static void chart(Path file, String title, String axis, Map<String, List<Stats>> runs,
			java.util.function.ToDoubleFunction<Stats> value) throws IOException {
		CategoryChart chart = new CategoryChartBuilder().width(800).height(450).title(title).yAxisTitle(axis).build();
		chart.getStyler().setLegendVisible(false);
		List<Double> values = new ArrayList<>();
		runs.values().forEach((rounds) -> values.add(median(rounds, value)));
		chart.addSeries(axis, new ArrayList<>(runs.keySet()), values);
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

	private static void percentileChart(Path file, Map<String, List<Stats>> runs) throws IOException {
		CategoryChart chart = new CategoryChartBuilder().width(800).height(450)
			.title("Latency at a fixed arrival rate, median of rounds (ms)")
			.yAxisTitle("ms")
			.build();
		List<String> strategies = new ArrayList<>(runs.keySet());
		chart.addSeries("p50", strategies, runs.values().stream().map((r) -> median(r, Stats::p50)).toList());
		chart.addSeries("p99", strategies, runs.values().stream().map((r) -> median(r, Stats::p99)).toList());
		chart.addSeries("p99.9", strategies, runs.values().stream().map((r) -> median(r, Stats::p999)).toList());
		BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
	}

}
