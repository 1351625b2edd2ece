package io.github.modelregistry.measure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One measured run: one variant (an application, or a phase of one) loaded on one endpoint in one round, with the
 * application's CPU ticks by thread group over the recorded window.
 *
 * @param round the round, from 1
 * @param variant the variant's name
 * @param endpoint the endpoint's name
 * @param requests successful requests
 * @param errors failed requests
 * @param seconds recorded seconds
 * @param p50Ms median latency
 * @param p99Ms 99th percentile latency
 * @param ticks the application's CPU ticks by group ({@link Cpu#GROUPS})
 */
record Run(int round, String variant, String endpoint, long requests, long errors, double seconds, double p50Ms,
		double p99Ms, Map<String, Long> ticks) {

	static final String HEADER = "round\tvariant\tendpoint\trequests\terrors\tseconds\tp50_ms\tp99_ms\t"
			+ String.join("\t", Cpu.GROUPS.stream().map((g) -> g + "_ticks").toList());

	static Run of(int round, String variant, String endpoint, LoadResult result, Map<String, Long> ticks) {
		return new Run(round, variant, endpoint, result.requests(), result.errors(), result.seconds(), result.p50Ms(),
				result.p99Ms(), ticks);
	}

	double rps() {
		return this.requests / this.seconds;
	}

	long totalTicks() {
		return this.ticks.values().stream().mapToLong(Long::longValue).sum();
	}

	/** The application's CPU time per successful request, in microseconds */
	double cpuMicros() {
		return totalTicks() * Cpu.microsPerTick() / Math.max(1, this.requests);
	}

	/** The share of a thread group in microseconds per request */
	double cpuMicros(String group) {
		return this.ticks.getOrDefault(group, 0L) * Cpu.microsPerTick() / Math.max(1, this.requests);
	}

	String tsv() {
		List<String> fields = new ArrayList<>(List.of(Integer.toString(this.round), this.variant, this.endpoint,
				Long.toString(this.requests), Long.toString(this.errors), String.format(Locale.ROOT, "%.3f", this.seconds),
				String.format(Locale.ROOT, "%.3f", this.p50Ms), String.format(Locale.ROOT, "%.3f", this.p99Ms)));
		Cpu.GROUPS.forEach((group) -> fields.add(Long.toString(this.ticks.getOrDefault(group, 0L))));
		return String.join("\t", fields);
	}

	static Run parse(String line) {
		String[] f = line.split("\t");
		Map<String, Long> ticks = new LinkedHashMap<>();
		for (int i = 0; i < Cpu.GROUPS.size(); i++) {
			ticks.put(Cpu.GROUPS.get(i), Long.parseLong(f[8 + i]));
		}
		return new Run(Integer.parseInt(f[0]), f[1], f[2], Long.parseLong(f[3]), Long.parseLong(f[4]),
				Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]), ticks);
	}

}
