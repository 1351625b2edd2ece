package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import io.github.modelregistry.benchmarks.report.ResultsRenderer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every benchmark in quick mode ({@link BenchmarkRunner.Config#quick}: in this JVM, a fraction of a second
 * each) and the 1,000-task experiment on a small generated model, then renders the report. Asserts only that every
 * benchmark ran and produced a result for every strategy, and that the report and charts were written: times on a
 * shared CI machine mean nothing, so none are asserted.
 * <p>
 * Run alone: {@code ./mvnw -pl benchmarks -am verify -Dtest=BenchmarksSmokeTests -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class BenchmarksSmokeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	@Timeout(value = 180, unit = TimeUnit.SECONDS)
	void quickRunShouldProduceAResultForEveryBenchmarkAndStrategy(@TempDir Path out) throws Exception {
		BenchmarkRunner.run(BenchmarkRunner.Config.quick(out));
		ResultsRenderer.render(out);

		for (int threads : List.of(1, 2)) {
			JsonNode readPath = readJson(out.resolve("read-path-" + threads + "t.json"));
			assertThat(strategiesOf(readPath, "ReadPathBenchmark.read")).containsExactlyInAnyOrderElementsOf(
					Strategies.ALL);
			assertThat(count(readPath, "ReadPathBenchmark.finalField")).isEqualTo(1);
			readPath.forEach((run) -> assertThat(run.get("threads").asInt()).isEqualTo(threads));
		}
		JsonNode publishing = readJson(out.resolve("publishing.json"));
		for (String strategy : Strategies.ALL) {
			List<JsonNode> runs = runsOf(publishing, "readWhilePublishing", strategy);
			// {0, 1000} µs between publishes × {0, 1000} µs held per read
			assertThat(runs).hasSize(4);
			runs.forEach((run) -> assertThat(run.at("/secondaryMetrics/read/scorePercentiles/99.9").isNumber())
				.isTrue());
		}
		JsonNode inference = readJson(out.resolve("inference.json"));
		assertThat(strategiesOf(inference, "InferenceOverheadBenchmark.registry"))
			.containsExactlyInAnyOrderElementsOf(Strategies.ALL);
		assertThat(count(inference, "InferenceOverheadBenchmark.rawSession")).isEqualTo(1);

		JsonNode experiment = readJson(out.resolve("experiment.json"));
		List<String> strategies = new ArrayList<>();
		for (JsonNode outcome : experiment.get("outcomes")) {
			strategies.add(outcome.get("strategy").asString());
			// Bounded: each strategy either finished or reports how far it got when its timeout hit
			assertThat(outcome.get("completed").asInt() + outcome.get("failed").asInt()).isPositive();
		}
		assertThat(strategies).containsExactlyElementsOf(Strategies.ALL);

		assertThat(out.resolve("RESULTS.md")).content().contains("## 1. Read path", "## 4. The article's experiment",
				"## Targets");
		for (String chart : List.of("read-path", "read-latency-p999", "read-latency-p99", "inference",
				"experiment")) {
			assertThat(Files.size(out.resolve(chart + ".png"))).isPositive();
		}
	}

	private static JsonNode readJson(Path file) {
		assertThat(file).exists();
		return JSON.readTree(file.toFile());
	}

	private static List<String> strategiesOf(JsonNode results, String benchmark) {
		List<String> strategies = new ArrayList<>();
		for (JsonNode run : results) {
			if (run.get("benchmark").asString().endsWith(benchmark)) {
				assertThat(run.at("/primaryMetric/score").isNumber()).isTrue();
				strategies.add(run.at("/params/strategy").asString());
			}
		}
		return strategies;
	}

	private static long count(JsonNode results, String benchmark) {
		long count = 0;
		for (JsonNode run : results) {
			if (run.get("benchmark").asString().endsWith(benchmark)) {
				count++;
			}
		}
		return count;
	}

	private static List<JsonNode> runsOf(JsonNode results, String group, String strategy) {
		List<JsonNode> runs = new ArrayList<>();
		for (JsonNode run : results) {
			if (run.get("benchmark").asString().endsWith(group) && strategy.equals(run.at("/params/strategy").asString())) {
				runs.add(run);
			}
		}
		return runs;
	}

}
