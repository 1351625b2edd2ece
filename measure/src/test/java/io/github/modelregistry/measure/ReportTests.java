package io.github.modelregistry.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.measure.Report.Goal;
import io.github.modelregistry.measure.Report.Key;
import io.github.modelregistry.measure.Report.Metric;
import io.github.modelregistry.measure.Report.Ratio;
import io.github.modelregistry.measure.Report.Row;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ReportTests {

	private static final Key SAMPLE = new Key("sample", "infer");

	private static final Key NAIVE = new Key("bare", "naive");

	private static final Key LEAN = new Key("bare", "lean");

	/** A run of 1,000 requests in 1 s that took the given ticks of the app's CPU (10 ms each: 10 µs per tick-ms) */
	private static Run run(int round, Key key, long ticks, long requests) {
		return new Run(round, key.variant(), key.endpoint(), requests, 0, 1.0, 1.0, 2.0,
				Map.of("http", ticks, "inference", 0L, "schedulers", 0L, "gc", 0L, "jit", 0L, "other", 0L));
	}

	@Test
	void aRatioIsTakenWithinEachRoundAgainstTheBestOfItsDenominators() {
		List<Run> runs = new ArrayList<>();
		// Round 1: lean is leaner (less CPU per request); round 2: naive is
		runs.add(run(1, SAMPLE, 100, 1000));
		runs.add(run(1, NAIVE, 200, 1000));
		runs.add(run(1, LEAN, 125, 1000));
		runs.add(run(2, SAMPLE, 90, 1000));
		runs.add(run(2, NAIVE, 100, 1000));
		runs.add(run(2, LEAN, 150, 1000));
		Ratio cpu = new Ratio("sample ÷ the leaner bare", SAMPLE, List.of(NAIVE, LEAN), Metric.CPU, Goal.atMost(0.8));
		assertThat(cpu.perRound(runs)).containsExactly(0.8, 0.9);
		// Requests/s: higher is better, so the best denominator is the one that served most
		runs.set(2, run(1, LEAN, 125, 2000));
		Ratio rps = new Ratio("sample ÷ the faster bare", SAMPLE, List.of(NAIVE, LEAN), Metric.RPS, null);
		assertThat(rps.perRound(runs)).containsExactly(0.5, 1.0);
	}

	@Test
	void aRoundMissingARunGivesNoRatio() {
		List<Run> runs = List.of(run(1, SAMPLE, 100, 1000), run(2, SAMPLE, 100, 1000), run(2, NAIVE, 100, 1000));
		assertThat(new Ratio("r", SAMPLE, List.of(NAIVE), Metric.CPU, null).perRound(runs)).containsExactly(1.0);
	}

	@Test
	void theGoalIsCalledOnTheMedian() {
		List<Run> runs = new ArrayList<>();
		// Ratios 0.7, 0.9, 0.75: the median 0.75 meets ≤ 0.8 though one round did not
		long[] sample = { 70, 90, 75 };
		for (int round = 1; round <= 3; round++) {
			runs.add(run(round, SAMPLE, sample[round - 1], 1000));
			runs.add(run(round, NAIVE, 100, 1000));
		}
		Report report = new Report(List.of(new Row(SAMPLE, "sample"), new Row(NAIVE, "naive")),
				List.of(new Ratio("sample ÷ naive", SAMPLE, List.of(NAIVE), Metric.CPU, Goal.atMost(0.8)),
						new Ratio("sample ÷ naive", SAMPLE, List.of(NAIVE), Metric.RPS, Goal.atLeast(1.2))));
		String table = report.ratioTable(runs);
		assertThat(table).contains("| sample ÷ naive, app CPU per request | 0.75 [0.70–0.90] | ≤ 0.8: met |");
		assertThat(table).contains("| sample ÷ naive, requests/s | 1.00 [1.00–1.00] | ≥ 1.2: **not met** |");
	}

	@Test
	void figuresGiveCpuPerRequestFromTicks() {
		// 100 ticks of 10 ms for 1,000 requests: 1,000 µs per request
		List<Run> runs = List.of(run(1, SAMPLE, 100, 1000), run(2, SAMPLE, 50, 1000), run(3, SAMPLE, 80, 1000));
		String table = new Report(List.of(new Row(SAMPLE, "sample infer")), List.of()).figures(runs);
		double micros = Cpu.microsPerTick();
		assertThat(table).contains(String.format("| sample infer | %.0f [%.0f–%.0f] |", 80 * micros / 1000,
				50 * micros / 1000, 100 * micros / 1000));
	}

	@Test
	void movedSinceListsMediansOutsideThePreviousSpread() {
		Report report = new Report(List.of(new Row(SAMPLE, "sample")),
				List.of(new Ratio("sample ÷ naive", SAMPLE, List.of(NAIVE), Metric.CPU, Goal.atMost(0.8))));
		List<Run> before = List.of(run(1, SAMPLE, 70, 1000), run(1, NAIVE, 100, 1000), run(2, SAMPLE, 75, 1000),
				run(2, NAIVE, 100, 1000));
		assertThat(report.movedSince(before, before)).startsWith("Every median lies inside");
		List<Run> now = List.of(run(1, SAMPLE, 90, 1000), run(1, NAIVE, 100, 1000), run(2, SAMPLE, 95, 1000),
				run(2, NAIVE, 100, 1000));
		String moved = report.movedSince(now, before);
		assertThat(moved).contains("| sample | app CPU per request |");
		assertThat(moved).contains("(the goal's verdict changed)");
	}

	@Test
	void goalsPrintWithoutTrailingZeros() {
		assertThat(Goal.atMost(0.8)).hasToString("≤ 0.8");
		assertThat(Goal.atLeast(1.25)).hasToString("≥ 1.25");
		assertThat(Goal.atMost(1)).hasToString("≤ 1.0");
	}

}
