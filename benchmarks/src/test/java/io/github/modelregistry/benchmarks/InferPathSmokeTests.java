package io.github.modelregistry.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.benchmarks.report.InferPathReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link InferPathBenchmark} in quick mode (in this JVM, a fraction of a second per path) with the GC profiler
 * and renders its report. Asserts that every path ran at 1 and 2 threads with an allocation figure, and that the
 * benchmark's own check passed (no lease left open): times and bytes on a shared CI machine are not asserted.
 * <p>
 * Run alone: {@code ./mvnw -pl benchmarks -am verify -Dtest=InferPathSmokeTests -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class InferPathSmokeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void quickRunShouldMeasureEveryPathAtOneAndTwoThreads(@TempDir Path out) throws Exception {
		InferPathRunner.run(out, true, 0);
		InferPathReport.render(out);
		for (int threads : List.of(1, 2)) {
			JsonNode results = JSON.readTree(out.resolve("infer-path-" + threads + "t.json").toFile());
			List<String> paths = new ArrayList<>();
			for (JsonNode run : results) {
				paths.add(run.at("/params/path").asString());
				assertThat(run.get("threads").asInt()).isEqualTo(threads);
				assertThat(run.at("/primaryMetric/score").asDouble()).isPositive();
				assertThat(run.at("/secondaryMetrics/gc.alloc.rate.norm/score").isNumber()).isTrue();
			}
			assertThat(paths).containsExactly("array-heap", "stream-heap", "stream-pooled");
		}
		assertThat(out.resolve("INFER-PATH.md")).content()
			.contains("| 1 | `stream-pooled` |", "| 2 | `array-heap` |");
	}

}
