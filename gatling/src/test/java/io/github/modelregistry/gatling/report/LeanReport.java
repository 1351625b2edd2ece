package io.github.modelregistry.gatling.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.github.modelregistry.gatling.report.StrategyReport.Stats;

/**
 * Reads what {@code gatling/lean.sh} collected and writes {@code lean.md}: for each build of the app (the commit
 * before the allocation-lean infer path, and the current one with the tensor pool off and on), the saturation
 * throughput of {@code GET /v2/health/live} (the ceiling) and of 10×40 inferences, and their ratio. Each ratio is
 * taken within one app and one round; the table gives medians and the min-max over the rounds.
 * <p>
 * Arguments: the folder of collected stats, the output folder, the seconds per run, the git ref of "before".
 */
public final class LeanReport {

	static final List<String> VARIANTS = List.of("before", "pool-off", "pool-on");

	private LeanReport() {
	}

	public static void main(String[] args) throws IOException {
		Path raw = Path.of(args[0]);
		Path out = Path.of(args[1]);
		StrategyReport reader = new StrategyReport(raw);
		List<Path> rounds;
		try (var folders = Files.list(raw)) {
			rounds = folders.filter(Files::isDirectory).sorted().toList();
		}
		StringBuilder md = new StringBuilder();
		md.append("# Infer path end to end: inference throughput ÷ HTTP ceiling\n\n")
			.append(String.format(Locale.ROOT, "`gatling/lean.sh %s %d`: %d round(s); in each round every build ", args[2],
					rounds.size(), rounds.size()))
			.append("runs in turn on this machine's 2 cores, sharing them with Gatling: a 10 s warm-up, then ")
			.append(args[2]).append(" s of `CeilingSimulation` (`GET /v2/health/live`, 32 in flight) and ")
			.append(args[2]).append(" s of `InferenceSimulation` (10×40 FP32 batches, 32 in flight, closed model). ")
			.append("Ratios are taken within one app and one round; medians [min–max] over the rounds.\n\n")
			.append("- `before`: ").append(args[3]).append(", the last commit before the allocation-lean infer path\n")
			.append("- `pool-off`: this commit with `--model-registry.tensor-pool.enabled=false`\n")
			.append("- `pool-on`: this commit as shipped (tensor pool on)\n\n")
			.append("| build | ceiling RPS | infer RPS | infer ÷ ceiling | infer p50 ms | infer p99 ms | failed |\n")
			.append("|---|---|---|---|---|---|---|\n");
		for (String variant : VARIANTS) {
			List<Double> ceilings = new ArrayList<>();
			List<Double> infers = new ArrayList<>();
			List<Double> ratios = new ArrayList<>();
			List<Double> p50 = new ArrayList<>();
			List<Double> p99 = new ArrayList<>();
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
		}
		md.append("\nGoal: infer ÷ ceiling ≥ 0.6. Raw Gatling statistics: `raw/round-*/<build>-{ceiling,infer}.json`.\n");
		Files.createDirectories(out);
		Files.writeString(out.resolve("lean.md"), md.toString());
	}

}
