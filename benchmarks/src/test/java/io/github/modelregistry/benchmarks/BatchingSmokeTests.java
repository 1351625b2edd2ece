package io.github.modelregistry.benchmarks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link BatchingBenchmark} in quick mode (in this JVM, a fraction of a second each, the sample model, one
 * strategy) and renders its report. Asserts that batching off and on both ran and were paired in the report: times
 * on a shared CI machine are not asserted.
 */
class BatchingSmokeTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	@Timeout(value = 120, unit = TimeUnit.SECONDS)
	void quickRunShouldMeasureBatchingOffAndOn(@TempDir Path out) throws Exception {
		BatchingRunner.measure(out, true, 0);
		List<String> settings = new ArrayList<>();
		for (JsonNode run : JSON.readTree(out.resolve("jmh-1t.json").toFile())) {
			settings.add(run.at("/params/batching").asString());
			assertThat(run.at("/primaryMetric/score").asDouble()).isPositive();
		}
		assertThat(settings).containsExactly("off", "on");
		assertThat(out.resolve("jmh.md")).content().contains("| restaurant-ranker | 1 | sharded-rcu | ");
	}

}
