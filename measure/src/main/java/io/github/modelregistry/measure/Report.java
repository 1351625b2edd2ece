package io.github.modelregistry.measure;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * How an experiment's runs become tables: per variant and endpoint, the medians over the rounds with their spread
 * (app CPU per request first, then requests/s and latencies); the ratios the experiment cares about, each taken
 * within a round and then summarised, with its goal called met when the median meets it; where the CPU goes by thread
 * group; and, when the previous published run was of the same build, which figures moved outside its spread.
 *
 * @param rows the variant and endpoint pairs, in the order the tables print them
 * @param ratios the ratios, in order
 */
record Report(List<Row> rows, List<Ratio> ratios) {

	/**
	 * A variant and endpoint pair.
	 * @param variant the variant
	 * @param endpoint the endpoint
	 */
	record Key(String variant, String endpoint) {
	}

	/**
	 * A row of the tables.
	 * @param key what it summarises
	 * @param label how the tables name it
	 */
	record Row(Key key, String label) {
	}

	/** A figure of a run, and which way is better */
	enum Metric {

		CPU("app CPU per request", false, Run::cpuMicros), RPS("requests/s", true, Run::rps),
		P99("p99", false, Run::p99Ms);

		private final String label;

		private final boolean higherIsBetter;

		private final ToDoubleFunction<Run> value;

		Metric(String label, boolean higherIsBetter, ToDoubleFunction<Run> value) {
			this.label = label;
			this.higherIsBetter = higherIsBetter;
			this.value = value;
		}

		double of(Run run) {
			return this.value.applyAsDouble(run);
		}

		String label() {
			return this.label;
		}

		/** The better of two values */
		double best(double a, double b) {
			return this.higherIsBetter ? Math.max(a, b) : Math.min(a, b);
		}

	}

	/**
	 * A goal for a ratio's median.
	 * @param atMost whether the ratio must be at most the value (else at least)
	 * @param value the bound
	 */
	record Goal(boolean atMost, double value) {

		static Goal atMost(double value) {
			return new Goal(true, value);
		}

		static Goal atLeast(double value) {
			return new Goal(false, value);
		}

		boolean met(double median) {
			return this.atMost ? median <= this.value : median >= this.value;
		}

		@Override
		public String toString() {
			return (this.atMost ? "≤ " : "≥ ") + String.format(Locale.ROOT, "%.2f", this.value).replaceAll("0$", "");
		}

	}

	/**
	 * A ratio taken within each round: the numerator's figure over the best of the denominators' (so that a ratio
	 * against "the leaner of two baselines" takes, round by round, whichever was leaner).
	 * @param label how the table names it
	 * @param numerator the numerator
	 * @param denominators the candidates for the denominator
	 * @param metric the figure
	 * @param goal the goal, or null
	 */
	record Ratio(String label, Key numerator, List<Key> denominators, Metric metric, Goal goal) {

		/** The ratio in each round that has all its runs */
		List<Double> perRound(List<Run> runs) {
			List<Double> values = new ArrayList<>();
			int rounds = runs.stream().mapToInt(Run::round).max().orElse(0);
			for (int round = 1; round <= rounds; round++) {
				Run top = find(runs, round, this.numerator);
				double bottom = Double.NaN;
				for (Key key : this.denominators) {
					Run run = find(runs, round, key);
					if (run != null) {
						double value = this.metric.of(run);
						bottom = Double.isNaN(bottom) ? value : this.metric.best(bottom, value);
					}
				}
				if (top != null && !Double.isNaN(bottom) && bottom > 0) {
					values.add(this.metric.of(top) / bottom);
				}
			}
			return values;
		}

	}

	static Run find(List<Run> runs, int round, Key key) {
		for (Run run : runs) {
			if (run.round() == round && run.variant().equals(key.variant()) && run.endpoint().equals(key.endpoint())) {
				return run;
			}
		}
		return null;
	}

	static Summary summary(List<Run> runs, Key key, ToDoubleFunction<Run> figure) {
		return Summary.of(runs.stream()
			.filter((run) -> run.variant().equals(key.variant()) && run.endpoint().equals(key.endpoint()))
			.map(figure::applyAsDouble)
			.toList());
	}

	/** The per-row table: CPU per request, requests/s, p50 and p99, medians [min–max] */
	String figures(List<Run> runs) {
		StringBuilder table = new StringBuilder();
		table.append("| variant, endpoint | app CPU µs/request | requests/s | p50 ms | p99 ms |\n");
		table.append("|---|---|---|---|---|\n");
		for (Row row : this.rows) {
			table.append("| ")
				.append(row.label())
				.append(" | ")
				.append(summary(runs, row.key(), Run::cpuMicros).format(0))
				.append(" | ")
				.append(summary(runs, row.key(), Run::rps).format(0))
				.append(" | ")
				.append(summary(runs, row.key(), Run::p50Ms).format(2))
				.append(" | ")
				.append(summary(runs, row.key(), Run::p99Ms).format(2))
				.append(" |\n");
		}
		return table.toString();
	}

	/** The ratio table, with each goal's verdict */
	String ratioTable(List<Run> runs) {
		StringBuilder table = new StringBuilder();
		table.append("| ratio, within a round | median [min–max] | goal |\n|---|---|---|\n");
		for (Ratio ratio : this.ratios) {
			Summary summary = Summary.of(ratio.perRound(runs));
			String goal = "";
			if (ratio.goal() != null && summary.count() > 0) {
				goal = ratio.goal() + ": " + (ratio.goal().met(summary.median()) ? "met" : "**not met**");
			}
			table.append("| ")
				.append(ratio.label())
				.append(", ")
				.append(ratio.metric().label())
				.append(" | ")
				.append(summary.format(2))
				.append(" | ")
				.append(goal)
				.append(" |\n");
		}
		return table.toString();
	}

	/** Where the CPU goes: microseconds per request by thread group, medians */
	String groups(List<Run> runs) {
		StringBuilder table = new StringBuilder("| variant, endpoint |");
		Cpu.GROUPS.forEach((group) -> table.append(' ').append(group).append(" |"));
		table.append(" total |\n|---|");
		Cpu.GROUPS.forEach((group) -> table.append("---|"));
		table.append("---|\n");
		for (Row row : this.rows) {
			table.append("| ").append(row.label()).append(" |");
			for (String group : Cpu.GROUPS) {
				table.append(String.format(Locale.ROOT, " %.0f |",
						summary(runs, row.key(), (run) -> run.cpuMicros(group)).median()));
			}
			table.append(String.format(Locale.ROOT, " %.0f |%n", summary(runs, row.key(), Run::cpuMicros).median()));
		}
		return table.toString();
	}

	/**
	 * The figures whose median now lies outside the previous run's spread, when the previous run was of the same
	 * build: a figure that moves between two runs of one build is noise the reader must know about.
	 */
	String movedSince(List<Run> runs, List<Run> previous) {
		StringBuilder moved = new StringBuilder();
		for (Row row : this.rows) {
			for (Metric metric : Metric.values()) {
				Summary before = summary(previous, row.key(), metric::of);
				Summary now = summary(runs, row.key(), metric::of);
				if (before.count() > 0 && now.count() > 0 && !before.contains(now.median())) {
					moved.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", row.label(), metric.label(),
							before.format(metric == Metric.RPS || metric == Metric.CPU ? 0 : 2),
							now.format(metric == Metric.RPS || metric == Metric.CPU ? 0 : 2)));
				}
			}
		}
		for (Ratio ratio : this.ratios) {
			Summary before = Summary.of(ratio.perRound(previous));
			Summary now = Summary.of(ratio.perRound(runs));
			boolean verdictChanged = ratio.goal() != null && before.count() > 0 && now.count() > 0
					&& ratio.goal().met(before.median()) != ratio.goal().met(now.median());
			if (before.count() > 0 && now.count() > 0 && (!before.contains(now.median()) || verdictChanged)) {
				moved.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", ratio.label(), ratio.metric().label(),
						before.format(2), now.format(2) + (verdictChanged ? " (the goal's verdict changed)" : "")));
			}
		}
		if (moved.isEmpty()) {
			return "Every median lies inside the previous run's spread.\n";
		}
		return "| figure | of | previous run | this run |\n|---|---|---|---|\n" + moved;
	}

}
