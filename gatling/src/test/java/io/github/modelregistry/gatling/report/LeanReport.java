package io.github.modelregistry.gatling.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.modelregistry.gatling.report.StrategyReport.Stats;
import org.jspecify.annotations.Nullable;

/**
 * Reads what {@code gatling/lean.sh} collected and writes {@code lean.md}: for each build of the app (the commit
 * before the allocation-lean infer path, and the current one with the tensor pool off and on), the saturation
 * throughput of {@code GET /v2/health/live} (the ceiling) and of 10×40 inferences, and their ratio; and the app
 * process's own CPU time per request of each, and their ratio. Each ratio is taken within one app and one round;
 * the tables give medians and the min-max over the rounds.
 * <p>
 * Arguments: the folder of collected stats, the output folder, the seconds per run, the git ref of "before".
 */
public final class LeanReport {

	static final List<String> VARIANTS = List.of("before", "pool-off", "pool-on");

	private LeanReport() {
	}

	/**
	 * The app's CPU time per request during one simulation, from the {@code <name>.cpu} file that holds the ticks
	 * spent and the ticks per second; {@code null} if the file is missing.
	 */
	static @Nullable Double cpuMicrosPerRequest(Path round, String name, Stats stats) throws IOException {
		Path file = round.resolve(name + ".cpu");
		if (!Files.exists(file)) {
			return null;
		}
		String[] fields = fields(file);
		double seconds = Double.parseDouble(fields[0]) / Double.parseDouble(fields[1]);
		return seconds * 1e6 / (stats.ok() + stats.ko());
	}

	/**
	 * Seconds the app's JIT compiled during one simulation, the {@code .cpu} file's third field; {@code null} if
	 * not recorded.
	 */
	static @Nullable Double jitSeconds(Path round, String name) throws IOException {
		Path file = round.resolve(name + ".cpu");
		String[] fields = Files.exists(file) ? fields(file) : new String[0];
		return (fields.length > 2) ? Double.parseDouble(fields[2]) : null;
	}

	/**
	 * Builds compared pairwise within each round, so that what a round shared (the machine's load, the other
	 * tenants) cancels out: the later build's inference RPS and CPU per inference over the earlier one's.
	 */
	static String paired(StrategyReport reader, List<Path> rounds) throws IOException {
		StringBuilder md = new StringBuilder()
			.append("\nPaired within each round (the same round's machine for both builds):\n\n")
			.append("| builds | infer RPS ratio | infer CPU µs/request ratio | rounds |\n|---|---|---|---|\n");
		for (int later = 1; later < VARIANTS.size(); later++) {
			for (int earlier = 0; earlier < later; earlier++) {
				String a = VARIANTS.get(later);
				String b = VARIANTS.get(earlier);
				List<Double> rps = new ArrayList<>();
				List<Double> cpu = new ArrayList<>();
				for (Path round : rounds) {
					Stats inferA = reader.stats(round, a + "-infer");
					Stats inferB = reader.stats(round, b + "-infer");
					if (inferA == null || inferB == null) {
						continue;
					}
					rps.add(inferA.rps() / inferB.rps());
					Double cpuA = cpuMicrosPerRequest(round, a + "-infer", inferA);
					Double cpuB = cpuMicrosPerRequest(round, b + "-infer", inferB);
					if (cpuA != null && cpuB != null) {
						cpu.add(cpuA / cpuB);
					}
				}
				if (!rps.isEmpty()) {
					md.append("| `").append(a).append("` ÷ `").append(b).append("` | ")
						.append(StrategyReport.spread(rps, "%.2f")).append(" | ")
						.append(cpu.isEmpty() ? "–" : StrategyReport.spread(cpu, "%.2f")).append(" | ")
						.append(rps.size()).append(" |\n");
				}
			}
		}
		return md.toString();
	}

	private static String[] fields(Path file) throws IOException {
		return Files.readString(file).trim().split("\\s+");
	}

	public static void main(String[] args) throws IOException {
		Path raw = Path.of(args[0]);
		Path out = Path.of(args[1]);
		StrategyReport reader = new StrategyReport(raw);
		List<Path> rounds;
		try (var folders = Files.list(raw)) {
			rounds = folders.filter(Files::isDirectory).sorted().toList();
		}
		double mostJit = 0;
		StringBuilder md = new StringBuilder();
		md.append("# Infer path end to end: inference throughput ÷ HTTP ceiling\n\n")
			.append(String.format(Locale.ROOT, "`gatling/lean.sh %s %d`: %d round(s); in each round every build ", args[2],
					rounds.size(), rounds.size()))
			.append("runs in turn (each round starting with the next build) on this machine's 2 cores, sharing them ")
			.append("with Gatling: a warm-up until the app's JIT ")
			.append("has settled (`warm_up` in `gatling/app.sh`: 10 s runs of inference until two in a row compile ")
			.append("for under 0.5 s each), then ")
			.append(args[2]).append(" s of `CeilingSimulation` (`GET /v2/health/live`, 32 in flight) and ")
			.append(args[2]).append(" s of `InferenceSimulation` (10×40 FP32 batches, 32 in flight, closed model). ")
			.append("Ratios are taken within one app and one round; medians [min–max] over the rounds.\n\n")
			.append("- `before`: ").append(args[3]).append(", the last commit before the allocation-lean infer path\n")
			.append("- `pool-off`: this commit with `--model-registry.tensor-pool.enabled=false`\n")
			.append("- `pool-on`: this commit as shipped (tensor pool on)\n\n")
			.append("| build | ceiling RPS | infer RPS | infer ÷ ceiling | infer p50 ms | infer p99 ms | failed |\n")
			.append("|---|---|---|---|---|---|---|\n");
		StringBuilder cpu = new StringBuilder()
			.append("\nThe app's own CPU time (user + system, all its threads: Netty, inference, JIT, GC) per ")
			.append("request during each simulation, read from `/proc/<pid>/stat`: unlike RPS it does not depend on ")
			.append("how the cores were shared with Gatling.\n\n")
			.append("| build | ceiling CPU µs/request | infer CPU µs/request | infer ÷ ceiling (CPU) | ")
			.append("ceiling ÷ infer CPU: the throughput ratio if the app had the cores to itself |\n")
			.append("|---|---|---|---|---|\n");
		for (String variant : VARIANTS) {
			List<Double> ceilings = new ArrayList<>();
			List<Double> infers = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			List<Double> p50 = new ArrayList<>();
			List<Double> p99 = new ArrayList<>();
			List<Double> ceilingCpu = new ArrayList<>();
			List<Double> inferCpu = new ArrayList<>();
			List<Double> cpuRatios = new ArrayList<>();
			long failed = 0;
			for (Path round : rounds) {
				Stats ceiling = reader.stats(round, variant + "-ceiling");
				Stats infer = reader.stats(round, variant + "-infer");
				if (ceiling == null || infer == null) {
					continue;
				}
				ceilings.add(ceiling.rps());
				infers.add(infer.rps());
				ratios.add(infer.rps() / ceiling.rps());
				p50.add(infer.p50());
				p99.add(infer.p99());
				failed += infer.ko() + ceiling.ko();
				for (String measured : List.of("-ceiling", "-infer")) {
					Double jit = jitSeconds(round, variant + measured);
					mostJit = Math.max(mostJit, (jit != null) ? jit : 0);
				}
				Double ceilingMicros = cpuMicrosPerRequest(round, variant + "-ceiling", ceiling);
				Double inferMicros = cpuMicrosPerRequest(round, variant + "-infer", infer);
				if (ceilingMicros != null && inferMicros != null) {
					ceilingCpu.add(ceilingMicros);
					inferCpu.add(inferMicros);
					cpuRatios.add(inferMicros / ceilingMicros);
				}
			}
			if (ratios.isEmpty()) {
				continue;
			}
			md.append("| `").append(variant).append("` | ")
				.append(StrategyReport.spread(ceilings, "%.0f")).append(" | ")
				.append(StrategyReport.spread(infers, "%.0f")).append(" | ")
				.append(StrategyReport.spread(ratios, "%.2f")).append(" | ")
				.append(String.format(Locale.ROOT, "%.0f | %.0f | %d |%n", StrategyReport.median(p50),
						StrategyReport.median(p99), failed));
			if (!cpuRatios.isEmpty()) {
				cpu.append("| `").append(variant).append("` | ")
					.append(StrategyReport.spread(ceilingCpu, "%.0f")).append(" | ")
					.append(StrategyReport.spread(inferCpu, "%.0f")).append(" | ")
					.append(StrategyReport.spread(cpuRatios, "%.2f")).append(" | ")
					.append(String.format(Locale.ROOT, "%.2f |%n", 1 / StrategyReport.median(cpuRatios)));
			}
		}
		md.append(cpu);
		md.append(paired(reader, rounds));
		md.append(String.format(Locale.ROOT, "%nThe most the JIT compiled during any measured simulation: %.2f s.%n",
				mostJit));
		md.append("\nGoal: infer ÷ ceiling ≥ 0.6. Raw figures: `raw/round-*/<build>-{ceiling,infer}.json` (Gatling) and `.cpu` (the app's CPU ticks, ticks per second, JIT seconds).\n");
		Files.createDirectories(out);
		Files.writeString(out.resolve("lean.md"), md.toString());
	}

}
