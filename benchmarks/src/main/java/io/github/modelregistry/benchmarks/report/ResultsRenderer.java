package io.github.modelregistry.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.modelregistry.benchmarks.Strategies;
import io.github.modelregistry.benchmarks.report.JmhResults.Run;
import io.github.modelregistry.benchmarks.report.JmhResults.Samples;
import org.jspecify.annotations.Nullable;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON that {@link io.github.modelregistry.benchmarks.BenchmarkRunner} wrote into a results folder and
 * writes {@code RESULTS.md} and the charts next to it: {@code read-path.png}, {@code read-latency-p99.png},
 * {@code read-latency-p999.png}, {@code inference.png}, {@code experiment.png}.
 * <p>
 * Figures are medians over measurement iterations with their min-max spread, and ratios are taken between results
 * of the same run: on a shared machine the absolute numbers move with the neighbours' load, ratios much less.
 * Targets are checked here and reported as met or missed with the margin; nothing is asserted.
 * <p>
 * Run on its own: {@code java -cp benchmarks/target/benchmarks.jar
 * io.github.modelregistry.benchmarks.report.ResultsRenderer benchmarks/results}.
 */
public final class ResultsRenderer {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The article's figures (requests per second), by our strategy value. */
	private static final Map<String, String> ARTICLE = Map.of("sharded-rcu", "(not in the article)", "rwlock",
			"20,000 RPS", "mutex", "200 RPS", "static", "22,000 RPS", "per-request", "fails");

	private static final String FLOOR = "final field (floor)";

	private final Path folder;

	private final StringBuilder md = new StringBuilder();

	private ResultsRenderer(Path folder) {
		this.folder = folder;
	}

	public static void main(String[] args) throws Exception {
		System.setProperty("java.awt.headless", "true");
		render(Path.of((args.length > 0) ? args[0] : "benchmarks/results"));
	}

	/**
	 * Renders {@code RESULTS.md} and the charts in a results folder.
	 * @param folder the results folder
	 */
	public static void render(Path folder) throws IOException {
		System.setProperty("java.awt.headless", "true");
		new ResultsRenderer(folder).render();
	}

	private void render() throws IOException {
		JsonNode machine = readJson("machine.json");
		line("# Benchmark results");
		line("");
		machine(machine);
		List<Integer> threads = new ArrayList<>();
		Map<Integer, List<Run>> readPath = new LinkedHashMap<>();
		try (var files = Files.list(this.folder)) {
			files.map((file) -> file.getFileName().toString())
				.filter((name) -> name.matches("read-path-\\d+t\\.json"))
				.map((name) -> Integer.valueOf(name.replaceAll("\\D", "")))
				.sorted()
				.forEach(threads::add);
		}
		for (int count : threads) {
			readPath.put(count, JmhResults.read(this.folder.resolve("read-path-" + count + "t.json")));
		}
		List<Run> publishing = JmhResults.read(this.folder.resolve("publishing.json"));
		List<Run> inference = JmhResults.read(this.folder.resolve("inference.json"));
		JsonNode experiment = readJson("experiment.json");
		List<String> targets = new ArrayList<>();
		readPath(readPath, targets);
		publishing(publishing, targets);
		inference(inference, targets);
		experiment(experiment);
		line("## Targets");
		line("");
		targets.forEach((target) -> line("- " + target));
		line("");
		Files.writeString(this.folder.resolve("RESULTS.md"), this.md.toString());
	}

	private void machine(@Nullable JsonNode machine) {
		if (machine == null) {
			line("(no machine.json: machine unknown)");
			line("");
			return;
		}
		line("Measured on " + text(machine, "date") + " (" + text(machine, "mode") + " run, "
				+ text(machine, "durationSeconds") + " s):");
		line("");
		line("- cores (`nproc`, `availableProcessors`): " + text(machine, "cores") + "; CPU: " + text(machine, "cpu")
				+ "; memory: " + (machine.path("memoryBytes").asLong() >> 30) + " GiB");
		line("- JDK: " + text(machine, "javaVm") + " (" + text(machine, "javaVendor") + ", runtime "
				+ text(machine, "javaVersion") + "); OS: " + text(machine, "os"));
		line("- **The machine was shared**: other builds and test suites ran during the measurement. Load average "
				+ "(1, 5, 15 min) at the start: " + loadAverage(machine, "loadAverageStart") + "; at the end: "
				+ loadAverage(machine, "loadAverageEnd") + ". Absolute times move with that load; the ratios below "
				+ "compare results of this same run.");
		line("- Figures: medians over JMH measurement iterations, with (min–max) over those iterations.");
		line("");
	}

	private static String loadAverage(JsonNode machine, String field) {
		String[] parts = text(machine, field).split("\\s+");
		return (parts.length >= 3) ? parts[0] + ", " + parts[1] + ", " + parts[2] : "n/a";
	}

	private void readPath(Map<Integer, List<Run>> readPath, List<String> targets) throws IOException {
		line("## 1. Read path: `holder.read(m -> m.cheapCall())`, ns/op");
		line("");
		if (readPath.isEmpty()) {
			line("(not run)");
			line("");
			return;
		}
		List<Integer> threads = new ArrayList<>(readPath.keySet());
		int most = threads.get(threads.size() - 1);
		StringBuilder header = new StringBuilder("| strategy |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int count : threads) {
			header.append(' ').append(count).append((count == 1) ? " thread" : " threads").append(" |");
			rule.append("---:|");
		}
		header.append(" scaling ").append(most).append("t ÷ 1t | scaling ÷ floor's scaling |");
		rule.append("---:|---:|");
		line(header.toString());
		line(rule.toString());
		List<String> rows = new ArrayList<>(Strategies.ALL);
		rows.add(FLOOR);
		Map<Integer, Map<String, Double>> medians = new LinkedHashMap<>();
		for (String row : rows) {
			StringBuilder line = new StringBuilder("| `" + row + "` |");
			if (row.equals(FLOOR)) {
				line = new StringBuilder("| " + row + " |");
			}
			for (int count : threads) {
				Run run = row.equals(FLOOR) ? JmhResults.find(readPath.get(count), "finalField", 0)
						: JmhResults.find(readPath.get(count), "read", 0, "strategy", row);
				double median = (run != null) ? JmhResults.median(run.iterations()) : Double.NaN;
				medians.computeIfAbsent(count, (key) -> new LinkedHashMap<>()).put(row, median);
				line.append(' ').append((run != null) ? spread(run.iterations(), "%.1f") : "—").append(" |");
			}
			line.append(' ').append(ratio(medians.get(most).get(row), medians.get(threads.get(0)).get(row)))
				.append(" |");
			line.append(" @@").append(row).append("@@ |");
			line(line.toString());
		}
		// The floor has no shared state: its scaling is what the machine (cores shared with other processes,
		// turbo, SMT) does to any second thread, so dividing by it leaves what the strategy itself adds
		double floorScaling = medians.get(most).get(FLOOR) / medians.get(threads.get(0)).get(FLOOR);
		for (String row : rows) {
			double scaling = medians.get(most).get(row) / medians.get(threads.get(0)).get(row);
			String placeholder = "@@" + row + "@@";
			int at = this.md.indexOf(placeholder);
			this.md.replace(at, at + placeholder.length(), row.equals(FLOOR) ? "1.00"
					: String.format(Locale.ROOT, "%.2f", scaling / floorScaling));
		}
		line("");
		line("The last column divides each strategy's scaling by the floor's: the final-field read shares nothing "
				+ "between threads, so its own slowdown at " + most + " threads is what the machine (its cores shared "
				+ "with other processes during the run) does to any second thread.");
		line("");
		Map<String, Double> atMost = medians.get(most);
		Map<String, Double> atOne = medians.get(threads.get(0));
		double rcu = atMost.getOrDefault("sharded-rcu", Double.NaN);
		line("Same-run ratios at " + most + " threads: rwlock ÷ sharded-rcu = " + ratio(atMost.get("rwlock"), rcu)
				+ ", mutex ÷ sharded-rcu = " + ratio(atMost.get("mutex"), rcu) + ", sharded-rcu ÷ static = "
				+ ratio(rcu, atMost.get("static")) + ", sharded-rcu ÷ final field = " + ratio(rcu, atMost.get(FLOOR))
				+ ".");
		line("");
		List<Run> sharded = JmhResults.read(this.folder.resolve("read-path-" + most + "t-16-shards.json"));
		if (!sharded.isEmpty()) {
			Run rcu16 = JmhResults.find(sharded, "read", 0, "strategy", "sharded-rcu");
			Run static16 = JmhResults.find(sharded, "read", 0, "strategy", "static");
			line("Diagnosis, same run, " + most + " threads with 16 reader shards instead of the default "
					+ "(cores rounded up to a power of two): sharded-rcu "
					+ ((rcu16 != null) ? spread(rcu16.iterations(), "%.1f") : "—") + " ns/op, static "
					+ ((static16 != null) ? spread(static16.iterations(), "%.1f") : "—")
					+ " ns/op. A reader's shard is a hash of its thread id, so with as many shards as cores two "
					+ "threads often share one and contend on its cache line; more shards make that rarer.");
			line("");
		}
		line("![read path](read-path.png)");
		line("");
		CategoryChart chart = chart("Read path: ns/op per strategy and thread count (log scale)", "strategy",
				"ns/op");
		chart.getStyler().setYAxisLogarithmic(true);
		for (int count : threads) {
			List<Double> values = new ArrayList<>();
			for (String row : rows) {
				values.add(positive(medians.get(count).get(row)));
			}
			chart.addSeries(count + ((count == 1) ? " thread" : " threads"), rows, values);
		}
		save(chart, "read-path");
		if (threads.contains(2) || most > 1) {
			double scaling = rcu / atOne.getOrDefault("sharded-rcu", Double.NaN);
			targets.add(check("sharded-rcu read path at " + most + " threads ≤ 25 ns/op", rcu <= 25,
					String.format(Locale.ROOT, "%.1f ns/op", rcu), (rcu > 25) ? percentOver(rcu, 25) : null));
			targets.add(check("sharded-rcu scaling ratio " + most + "t ÷ 1t ≤ 1.2", scaling <= 1.2,
					String.format(Locale.ROOT, "%.2f (%.2f after dividing by the floor's %.2f)", scaling,
							scaling / floorScaling, floorScaling),
					(scaling > 1.2) ? percentOver(scaling, 1.2) : null));
			double cheaper = atMost.getOrDefault("rwlock", Double.NaN) / rcu;
			targets.add(check("sharded-rcu at least 3× cheaper than rwlock at " + most + " threads", cheaper >= 3,
					String.format(Locale.ROOT, "rwlock ÷ sharded-rcu = %.2f×", cheaper),
					(cheaper < 3) ? String.format(Locale.ROOT, "%.0f%% short of 3×", (1 - cheaper / 3) * 100) : null));
		}
	}

	private void publishing(List<Run> publishing, List<String> targets) throws IOException {
		line("## 2. Reads while publishing: reader latency percentiles");
		line("");
		if (publishing.isEmpty()) {
			line("(not run)");
			line("");
			return;
		}
		int readers = publishing.get(0).threads() - 1;
		line(readers + " reader threads and 1 publisher thread (JMH SampleTime; the `read` method's samples only). "
				+ "\"quiet\": the publisher thread only sleeps; \"publishing\": it publishes a new fake model every "
				+ "1 ms (`static` and `per-request` refuse publishes, so their publisher always sleeps). Cells: "
				+ "p50 / p99 / p99.9 / max over all samples; the last column is p99.9 per iteration (min–max).");
		line("");
		List<String> holds = publishing.stream().map((run) -> run.param("holdMicros")).distinct().sorted().toList();
		Map<String, Map<String, double[]>> p999 = new LinkedHashMap<>();
		Map<String, Map<String, double[]>> p99 = new LinkedHashMap<>();
		for (String hold : holds) {
			line("### Reads holding the model for " + ("0".equals(hold) ? "the cheap call only" : hold + " µs of busy CPU"));
			line("");
			line("| strategy | quiet | publishing every 1 ms | p99.9 publishing ÷ quiet | p99.9 per iteration, quiet | p99.9 per iteration, publishing |");
			line("|---|---:|---:|---:|---:|---:|");
			for (String strategy : Strategies.ALL) {
				Samples quiet = readSamples(publishing, strategy, "0", hold);
				Samples busy = readSamples(publishing, strategy, "1000", hold);
				String key = hold + "/" + strategy;
				p999.put(key, new LinkedHashMap<>());
				p99.put(key, new LinkedHashMap<>());
				if (quiet != null) {
					p999.get(key).put("quiet", new double[] { quiet.percentile(99.9) });
					p99.get(key).put("quiet", new double[] { quiet.percentile(99.0) });
				}
				if (busy != null) {
					p999.get(key).put("busy", new double[] { busy.percentile(99.9) });
					p99.get(key).put("busy", new double[] { busy.percentile(99.0) });
				}
				double ratio = (quiet != null && busy != null) ? busy.percentile(99.9) / quiet.percentile(99.9)
						: Double.NaN;
				line("| `" + strategy + "` | " + percentiles(quiet) + " | " + percentiles(busy) + " | "
						+ (Double.isNaN(ratio) ? "—" : String.format(Locale.ROOT, "%.2f", ratio)) + " | "
						+ iterationSpread(quiet) + " | " + iterationSpread(busy) + " |");
				if ("sharded-rcu".equals(strategy) && !Double.isNaN(ratio)) {
					targets.add(check("sharded-rcu readers' p99.9 while publishing every 1 ms ≤ 2× without ("
							+ ("0".equals(hold) ? "cheap call" : hold + " µs hold") + ")", ratio <= 2,
							String.format(Locale.ROOT, "%s vs %s, %.2f×", time(busy.percentile(99.9)),
									time(quiet.percentile(99.9)), ratio),
							(ratio > 2) ? percentOver(ratio, 2) : null));
				}
			}
			line("");
		}
		line("![read latency p99.9](read-latency-p999.png) ![read latency p99](read-latency-p99.png)");
		line("");
		latencyChart(holds, p999, "p99.9", "read-latency-p999");
		latencyChart(holds, p99, "p99", "read-latency-p99");
	}

	private void latencyChart(List<String> holds, Map<String, Map<String, double[]>> values, String percentile,
			String file) throws IOException {
		CategoryChart chart = chart("Reader " + percentile + " latency, quiet vs publishing every 1 ms (log scale)",
				"strategy", "µs");
		chart.getStyler().setYAxisLogarithmic(true);
		for (String hold : holds) {
			for (String phase : List.of("quiet", "busy")) {
				List<Double> series = new ArrayList<>();
				for (String strategy : Strategies.ALL) {
					double[] value = values.get(hold + "/" + strategy).get(phase);
					series.add(positive((value != null) ? value[0] / 1000 : Double.NaN));
				}
				chart.addSeries(("0".equals(hold) ? "cheap call" : hold + " µs hold") + ", "
						+ ("quiet".equals(phase) ? "quiet" : "publishing"), Strategies.ALL, series);
			}
		}
		save(chart, file);
	}

	private static @Nullable Samples readSamples(List<Run> runs, String strategy, String publishEvery, String hold) {
		Run run = JmhResults.find(runs, "readWhilePublishing", 0, "strategy", strategy, "publishEveryMicros",
				publishEvery, "holdMicros", hold);
		return (run != null) ? run.metrics().get("read") : null;
	}

	private static String percentiles(@Nullable Samples samples) {
		if (samples == null) {
			return "—";
		}
		List<String> cells = new ArrayList<>();
		for (double percentile : JmhResults.PERCENTILES) {
			cells.add(time(samples.percentile(percentile)));
		}
		return String.join(" / ", cells);
	}

	private static String iterationSpread(@Nullable Samples samples) {
		if (samples == null) {
			return "—";
		}
		double[] values = samples.perIteration(99.9);
		return time(JmhResults.min(values)) + "–" + time(JmhResults.max(values));
	}

	private void inference(List<Run> inference, List<String> targets) throws IOException {
		line("## 3. Inference through the registry vs raw `OrtSession.run`, sample model, batch 10×40, 1 thread");
		line("");
		if (inference.isEmpty()) {
			line("(not run)");
			line("");
			return;
		}
		Run raw = JmhResults.find(inference, "rawSession", 0);
		double rawMedian = (raw != null) ? JmhResults.median(raw.iterations()) : Double.NaN;
		line("| path | µs/op | added per call | overhead |");
		line("|---|---:|---:|---:|");
		line("| raw `OrtSession.run` | " + ((raw != null) ? spread(raw.iterations(), "%.2f") : "—") + " | — | — |");
		List<String> labels = new ArrayList<>(List.of("raw"));
		List<Double> values = new ArrayList<>(List.of(positive(rawMedian)));
		for (String strategy : Strategies.ALL) {
			Run run = JmhResults.find(inference, "registry", 0, "strategy", strategy);
			if (run == null) {
				line("| registry, `" + strategy + "` | — | — | — |");
				continue;
			}
			double median = JmhResults.median(run.iterations());
			double overhead = median / rawMedian - 1;
			line("| registry, `" + strategy + "` | " + spread(run.iterations(), "%.2f") + " | "
					+ String.format(Locale.ROOT, "%+.2f µs", median - rawMedian) + " | "
					+ String.format(Locale.ROOT, "%+.1f%%", overhead * 100) + " |");
			labels.add(strategy);
			values.add(positive(median));
			if ("sharded-rcu".equals(strategy) || "static".equals(strategy)) {
				targets.add(check("registry overhead over raw ONNX Runtime ≤ 5% (" + strategy + ")", overhead <= 0.05,
						String.format(Locale.ROOT, "%+.1f%% (%.2f vs %.2f µs/op)", overhead * 100, median, rawMedian),
						(overhead > 0.05) ? String.format(Locale.ROOT, "%.1f points over", (overhead - 0.05) * 100)
								: null));
			}
		}
		line("");
		line("![inference](inference.png)");
		line("");
		CategoryChart chart = chart("Sample model, batch 10×40: µs/op (log scale)", "path", "µs/op");
		chart.getStyler().setYAxisLogarithmic(true);
		chart.getStyler().setLegendVisible(false);
		chart.addSeries("µs/op", labels, values);
		save(chart, "inference");
	}

	private void experiment(@Nullable JsonNode experiment) throws IOException {
		line("## 4. The article's experiment in process: 1,000 concurrent 10×40 batches");
		line("");
		if (experiment == null) {
			line("(not run)");
			line("");
			return;
		}
		int cores = experiment.path("cores").asInt();
		double batchMillis = Double.NaN;
		for (JsonNode outcome : experiment.path("outcomes")) {
			if ("static".equals(text(outcome, "strategy"))) {
				batchMillis = outcome.path("oneBatchMillis").asDouble();
			}
		}
		double limit = cores * 1000 / batchMillis;
		line(String.format(Locale.ROOT, "Model: random weights, hidden layers [%s], %.0f MB; %d tasks submitted at "
				+ "once to a pool of %d threads%s; each run stops after %d s. One batch takes %.2f ms on one thread "
				+ "(median, `static`, measured before the run), so the physical limit of this %d-core machine is "
				+ "%d ÷ %.2f ms = **%.0f batches/s**, and 1,000 batches need at least %.2f s.", text(experiment, "hidden"),
				experiment.path("modelBytes").asLong() / 1e6, experiment.path("tasks").asInt(),
				experiment.path("threads").asInt(), experiment.path("inProcess").asBoolean()
						? " (in the runner's JVM: quick mode)" : ", one JVM per strategy",
				experiment.path("timeoutSeconds").asInt(), batchMillis, cores, cores, batchMillis, limit,
				1000 / limit));
		line("");
		line("| strategy | result | total time | throughput | % of physical limit | one batch, 1 thread | task latency p50 / p99 | peak heap | peak RSS | article |");
		line("|---|---|---:|---:|---:|---:|---:|---:|---:|---|");
		List<String> labels = new ArrayList<>();
		List<Double> throughputs = new ArrayList<>();
		for (JsonNode outcome : experiment.path("outcomes")) {
			String strategy = text(outcome, "strategy");
			int completed = outcome.path("completed").asInt();
			int tasks = outcome.path("tasks").asInt();
			int failed = outcome.path("failed").asInt();
			double seconds = outcome.path("seconds").asDouble();
			String result;
			if (outcome.path("timedOut").asBoolean()) {
				result = String.format(Locale.ROOT, "timed out after %.0f s with %d of %d done", seconds, completed,
						tasks);
			}
			else {
				result = (failed > 0) ? completed + " done, " + failed + " failed" : "all " + completed + " done";
			}
			double throughput = outcome.path("throughput").asDouble();
			line(String.format(Locale.ROOT,
					"| `%s` | %s | %.2f s | %.0f /s | %.0f%% | %.2f ms | %.0f / %.0f ms | %.0f MB | %s | %s |", strategy,
					result, seconds, throughput, throughput / limit * 100, outcome.path("oneBatchMillis").asDouble(),
					outcome.path("p50Millis").asDouble(), outcome.path("p99Millis").asDouble(),
					outcome.path("peakHeapBytes").asLong() / 1e6,
					(outcome.path("peakRssBytes").asLong() > 0)
							? String.format(Locale.ROOT, "%.0f MB", outcome.path("peakRssBytes").asLong() / 1e6) : "n/a",
					ARTICLE.getOrDefault(strategy, "")));
			labels.add(strategy);
			throughputs.add(throughput);
		}
		line("");
		line("Peak heap is sampled every 5 ms; peak RSS is the kernel's high-water mark (VmHWM) of the strategy's own "
				+ "JVM, reset just before the run where the kernel allows it, so it includes the loaded model and "
				+ "ONNX Runtime's arenas. The article's figures come from a different program (Rust, its own model and "
				+ "machine): they are put beside ours for their shape, not compared number for number.");
		line("");
		line("![experiment](experiment.png)");
		line("");
		CategoryChart chart = chart(String.format(Locale.ROOT,
				"1,000 batches: throughput per strategy (physical limit %.0f/s on %d cores)", limit, cores),
				"strategy", "batches/s");
		chart.addSeries("measured", labels, throughputs);
		List<Double> limits = new ArrayList<>();
		labels.forEach((label) -> limits.add(limit));
		chart.addSeries("physical limit", labels, limits);
		save(chart, "experiment");
	}

	private static String check(String target, boolean met, String measured, @Nullable String miss) {
		return (met ? "**met**" : "**missed**") + ": " + target + " — measured " + measured
				+ ((miss != null) ? " (" + miss + ")" : "");
	}

	private static String percentOver(double measured, double target) {
		return String.format(Locale.ROOT, "%.0f%% over", (measured / target - 1) * 100);
	}

	private static String spread(double[] values, String format) {
		return String.format(Locale.ROOT, format + " (" + format + "–" + format + ")", JmhResults.median(values),
				JmhResults.min(values), JmhResults.max(values));
	}

	private static String ratio(@Nullable Double numerator, @Nullable Double denominator) {
		if (numerator == null || denominator == null || Double.isNaN(numerator) || Double.isNaN(denominator)) {
			return "—";
		}
		return String.format(Locale.ROOT, "%.2f", numerator / denominator);
	}

	/**
	 * Formats a time in nanoseconds with a unit that keeps it short.
	 */
	static String time(double nanos) {
		if (Double.isNaN(nanos)) {
			return "—";
		}
		if (nanos < 10_000) {
			return String.format(Locale.ROOT, "%.0f ns", nanos);
		}
		if (nanos < 10_000_000) {
			return String.format(Locale.ROOT, "%.0f µs", nanos / 1e3);
		}
		return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
	}

	/** Log-scale charts cannot show zero or missing values: those are drawn at a tiny height. */
	private static double positive(@Nullable Double value) {
		return (value == null || Double.isNaN(value) || value <= 0) ? 1e-3 : value;
	}

	private static CategoryChart chart(String title, String xTitle, String yTitle) {
		CategoryChart chart = new CategoryChartBuilder().width(1000)
			.height(550)
			.title(title)
			.xAxisTitle(xTitle)
			.yAxisTitle(yTitle)
			.build();
		chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
		chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
		chart.getStyler().setOverlapped(false);
		return chart;
	}

	private void save(CategoryChart chart, String name) throws IOException {
		if (chart.getStyler().isYAxisLogarithmic()) {
			// Bars start at the axis minimum, which must be above zero on a log axis: a power of ten below the data
			double min = chart.getSeriesMap()
				.values()
				.stream()
				.flatMap((series) -> series.getYData().stream())
				.mapToDouble(Number::doubleValue)
				.min()
				.orElse(1);
			chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
		}
		BitmapEncoder.saveBitmap(chart, this.folder.resolve(name + ".png").toString(),
				BitmapEncoder.BitmapFormat.PNG);
	}

	private @Nullable JsonNode readJson(String name) throws IOException {
		Path file = this.folder.resolve(name);
		return Files.exists(file) ? JSON.readTree(file.toFile()) : null;
	}

	private static String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null) ? value.asString() : "n/a";
	}

	private void line(String text) {
		this.md.append(text).append('\n');
	}

}
