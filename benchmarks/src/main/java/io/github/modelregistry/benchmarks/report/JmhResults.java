package io.github.modelregistry.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The parts of JMH's JSON results the report uses: per benchmark, its parameters, thread count, score, the score
 * of every measurement iteration (so that the report can give medians with their min-max spread, which say more
 * than JMH's error bars on a shared machine), and for sample-time benchmarks the percentiles of every iteration.
 */
final class JmhResults {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private JmhResults() {
	}

	/**
	 * One benchmark run: one method with one set of parameters and one thread count.
	 * @param method the benchmark method's simple name, such as {@code read}
	 * @param params the JMH parameters
	 * @param threads the total thread count
	 * @param unit the score unit, such as {@code ns/op}
	 * @param iterations the score of every measurement iteration, over all forks
	 * @param metrics the samples of a sample-time group benchmark by method name, such as {@code read}
	 * @param secondary every secondary metric's score per measurement iteration, over all forks, by name (such as
	 * {@code gc.alloc.rate.norm} from {@code -prof gc})
	 */
	record Run(String method, Map<String, String> params, int threads, String unit, double[] iterations,
			Map<String, Samples> metrics, Map<String, double[]> secondary) {

		String param(String name) {
			String value = this.params.get(name);
			return (value != null) ? value : "";
		}

	}

	/**
	 * The samples of a sample-time metric.
	 * @param percentiles JMH's percentiles over all iterations, keyed by percentile (50.0, 99.0, 99.9, 100.0)
	 * @param perIteration the same percentiles computed for each iteration alone
	 */
	record Samples(Map<Double, Double> percentiles, List<Map<Double, Double>> perIteration) {

		double percentile(double percentile) {
			Double value = this.percentiles.get(percentile);
			return (value != null) ? value : Double.NaN;
		}

		double[] perIteration(double percentile) {
			return this.perIteration.stream().mapToDouble((map) -> map.getOrDefault(percentile, Double.NaN)).toArray();
		}

	}

	static final double[] PERCENTILES = { 50.0, 99.0, 99.9, 100.0 };

	/** The names JMH gives the per-percentile results it derives from a sample-time result. */
	private static final Map<Double, String> DERIVED = Map.of(50.0, "p0.50", 99.0, "p0.99", 99.9, "p0.999", 100.0,
			"p1.00");

	/**
	 * Reads a JMH JSON result file; empty if the file does not exist.
	 */
	static List<Run> read(Path file) throws IOException {
		if (!Files.exists(file)) {
			return List.of();
		}
		List<Run> runs = new ArrayList<>();
		for (JsonNode benchmark : JSON.readTree(file.toFile())) {
			String name = benchmark.get("benchmark").asString();
			String method = name.substring(name.lastIndexOf('.') + 1);
			Map<String, String> params = new TreeMap<>();
			JsonNode paramsNode = benchmark.get("params");
			if (paramsNode != null) {
				paramsNode.properties().forEach((entry) -> params.put(entry.getKey(), entry.getValue().asString()));
			}
			JsonNode primary = benchmark.get("primaryMetric");
			List<Double> iterations = new ArrayList<>();
			JsonNode raw = primary.get("rawData");
			if (raw != null) {
				for (JsonNode fork : raw) {
					for (JsonNode iteration : fork) {
						iterations.add(iteration.asDouble());
					}
				}
			}
			Map<String, Samples> metrics = new TreeMap<>();
			JsonNode secondary = benchmark.get("secondaryMetrics");
			if (primary.get("rawDataHistogram") != null && secondary != null) {
				// A group's methods are secondary results; JMH derives one more per percentile ("read:p0.999"),
				// whose raw data holds that percentile for each iteration
				secondary.properties().forEach((entry) -> {
					String metric = entry.getKey();
					if (!metric.contains(":") && secondary.get(metric + ":p0.999") != null) {
						metrics.put(metric, samples(entry.getValue(), secondary, metric));
					}
				});
			}
			Map<String, double[]> secondaryScores = new TreeMap<>();
			if (secondary != null) {
				secondary.properties().forEach((entry) -> secondaryScores.put(entry.getKey(), raw(entry.getValue())));
			}
			runs.add(new Run(method, params, benchmark.get("threads").asInt(), primary.get("scoreUnit").asString(),
					iterations.stream().mapToDouble(Double::doubleValue).toArray(), metrics, secondaryScores));
		}
		return runs;
	}

	private static double[] raw(JsonNode metric) {
		List<Double> values = new ArrayList<>();
		JsonNode raw = metric.get("rawData");
		if (raw != null) {
			for (JsonNode fork : raw) {
				for (JsonNode iteration : fork) {
					values.add(iteration.asDouble());
				}
			}
		}
		return values.stream().mapToDouble(Double::doubleValue).toArray();
	}

	private static Samples samples(JsonNode metric, JsonNode secondary, String name) {
		Map<Double, Double> percentiles = new TreeMap<>();
		metric.get("scorePercentiles").properties()
			.forEach((entry) -> percentiles.put(Double.valueOf(entry.getKey()), entry.getValue().asDouble()));
		List<Map<Double, Double>> perIteration = new ArrayList<>();
		for (double percentile : PERCENTILES) {
			JsonNode derived = secondary.get(name + ":" + DERIVED.get(percentile));
			if (derived == null || derived.get("rawData") == null) {
				continue;
			}
			int index = 0;
			for (JsonNode fork : derived.get("rawData")) {
				for (JsonNode iteration : fork) {
					if (perIteration.size() <= index) {
						perIteration.add(new TreeMap<>());
					}
					perIteration.get(index++).put(percentile, iteration.asDouble());
				}
			}
		}
		return new Samples(percentiles, perIteration);
	}

	/**
	 * Returns the first run matching a method, thread count (0: any) and parameters.
	 */
	static @Nullable Run find(List<Run> runs, String method, int threads, String... params) {
		for (Run run : runs) {
			if (!run.method().equals(method) || (threads > 0 && run.threads() != threads)) {
				continue;
			}
			boolean matches = true;
			for (int i = 0; i + 1 < params.length; i += 2) {
				matches &= params[i + 1].equals(run.params().get(params[i]));
			}
			if (matches) {
				return run;
			}
		}
		return null;
	}

	static double median(double[] values) {
		if (values.length == 0) {
			return Double.NaN;
		}
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		int middle = sorted.length / 2;
		return (sorted.length % 2 == 1) ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
	}

	static double min(double[] values) {
		return Arrays.stream(values).min().orElse(Double.NaN);
	}

	static double max(double[] values) {
		return Arrays.stream(values).max().orElse(Double.NaN);
	}

}
