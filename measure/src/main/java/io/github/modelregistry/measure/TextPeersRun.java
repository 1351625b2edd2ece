package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code text-peers}: all-MiniLM-L6-v2 (quantized) through every way a Java service can embed a sentence, side by
 * side: ONNX Runtime by hand (the floor; ORT's default threads, and one intra-op thread), LangChain4j's in-process
 * model, the registry in process (batching off and on; the starter's one intra-op thread, and one per core), and the
 * registry over V2 REST and gRPC (the sample app's {@code restaurant-embeddings}, batching on). Each way runs in a JVM
 * of its own ({@code TextPeers} in the benchmarks jar), at 1, 8 and 64 concurrent callers, each call one sentence
 * of a fixed corpus of mixed length, after checking that its vectors agree with the floor's. Rounds alternate which
 * way goes first; medians of at least 3 rounds are published.
 */
final class TextPeersRun {

	static final String NAME = "text-peers";

	/** Way and ONNX Runtime intra-op threads (0: the way's default) */
	static final List<String> WAYS = List.of("direct", "direct:1", "langchain4j", "registry", "registry-batching",
			"registry-padded", "registry-batching:2", "rest", "grpc");

	static final List<Integer> CALLERS = List.of(1, 8, 64);

	private static final Pattern RESULT = Pattern.compile("RESULT way=(\\S+) callers=(\\d+) count=(\\d+) "
			+ "per_second=([0-9.]+) p50_ms=([0-9.]+) p99_ms=([0-9.]+) cpu_ms=([0-9.]+) client_cpu_ms=([0-9.]+) "
			+ "cosine=([0-9.]+)");

	private TextPeersRun() {
	}

	/** One way's run at some callers */
	record Result(String way, int callers, int round, double perSecond, double p50, double p99, double cpu,
			double clientCpu, double cosine) {
	}

	static void run(Settings settings) {
		Path root = settings.root();
		Path jar = build(root);
		Builds.Build sample = new Builds(root).build(settings.refs().get(0), List.of("sample-app"));
		Path work = root.resolve("target/measure/" + NAME);
		List<Result> results = new ArrayList<>();
		List<String> lines = new ArrayList<>(List.of(
				"round\tway\tcallers\tper_second\tp50_ms\tp99_ms\tcpu_ms_per_embedding\tclient_cpu_ms\tcosine"));
		try (App app = App.start(Subjects.sample("sample", sample.jar("sample-app"), settings.strategy(),
				Subjects.ROOMY), work.resolve("logs"))) {
			for (int callers : CALLERS) {
				for (int round = 1; round <= settings.rounds(); round++) {
					for (String way : Subjects.rotated(WAYS, round)) {
						Result result = once(settings, jar, app, way, callers, round, work);
						results.add(result);
						String line = round + "\t" + way + "\t" + callers + "\t" + result.perSecond() + "\t"
								+ result.p50() + "\t" + result.p99() + "\t" + result.cpu() + "\t" + result.clientCpu()
								+ "\t" + result.cosine();
						lines.add(line);
						System.out.printf("round %d, %s at %d callers: %.0f embeddings/s, p50 %.2f ms, p99 %.2f ms, "
								+ "%.2f ms of CPU each%n", round, way, callers, result.perSecond(), result.p50(),
								result.p99(), result.cpu());
					}
				}
			}
		}
		boolean publish = (settings.publish() != null) ? settings.publish() : settings.rounds() >= 3;
		Publication.writeTable(root, NAME, lines, report(settings, sample, results), publish);
	}

	/** The benchmarks' shaded jar, built from the working tree at every run and copied under the tree's identity */
	private static Path build(Path root) {
		Builds.maven(root, List.of("benchmarks"), List.of("-Pbenchmarks"));
		try {
			Path jars = Files.createDirectories(root.resolve("target/measure/jars"));
			String head = Builds.git(root, "rev-parse", "--short=7", "HEAD").trim();
			Path copy = jars.resolve("benchmarks-" + head + "-" + System.nanoTime() + ".jar");
			Files.copy(root.resolve("benchmarks/target/benchmarks.jar"), copy, StandardCopyOption.REPLACE_EXISTING);
			return copy;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static Result once(Settings settings, Path jar, App app, String way, int callers, int round, Path work) {
		String[] parts = way.split(":");
		String name = parts[0];
		String intraOp = (parts.length > 1) ? parts[1] : "0";
		boolean remote = name.equals("rest") || name.equals("grpc");
		int port = name.equals("grpc") ? app.address().grpcPort() : app.address().httpPort();
		List<String> command = new ArrayList<>(List.of("java", "-Xmx1g", "-cp", jar.toString(),
				"io.github.modelregistry.benchmarks.text.TextPeers", "--way", name, "--callers",
				Integer.toString(callers), "--warm-up", Long.toString(Math.max(2, settings.warmUpChunk().toSeconds() / 2)),
				"--seconds", Long.toString(settings.seconds().toSeconds()), "--intra-op", intraOp, "--target",
				"localhost:" + port, "--clock-ticks", Long.toString(Cpu.ticksPerSecond())));
		if (remote) {
			command.addAll(List.of("--app-pid", Long.toString(app.pid())));
		}
		// The app's start-up compiles for a while: nothing is measured until its JIT has been quiet for a second
		WarmUp.jitQuiet(app, java.time.Duration.ofSeconds(60));
		String output = Processes.output(settings.root(), command);
		Matcher matcher = RESULT.matcher(output);
		if (!matcher.find()) {
			throw new IllegalStateException(way + " printed no result:\n" + output);
		}
		return new Result(way, callers, round, Double.parseDouble(matcher.group(4)), Double.parseDouble(matcher.group(5)),
				Double.parseDouble(matcher.group(6)), Double.parseDouble(matcher.group(7)),
				Double.parseDouble(matcher.group(8)), Double.parseDouble(matcher.group(9)));
	}

	static String report(Settings settings, Builds.Build sample, List<Result> results) {
		StringBuilder report = new StringBuilder("# A text model through the Java peers\n\n");
		report.append("`measure/run text-peers ").append(String.join(" ", settings.arguments())).append("`, ")
			.append(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).format(
					java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")))
			.append(", on ").append(Machine.describe()).append("; sample app at ").append(sample.identity())
			.append("; ").append(settings.rounds()).append(" rounds of ").append(settings.seconds().toSeconds())
			.append(" s per way and caller count, the first way rotating by round.\n\n");
		report.append("all-MiniLM-L6-v2, quantized (LangChain4j's artifact); 256 sentences of 4 to 94 words, each call "
				+ "one sentence; every way in a JVM of its own, checked against the floor's vectors first. Ways: "
				+ "`direct` ONNX Runtime by hand (tokenizer, session, pooling; ORT's default threads, `:1` one intra-op "
				+ "thread), `langchain4j` its in-process model as a user gets it, `registry` the text pipeline in "
				+ "process (the starter's one intra-op thread; `-batching` with dynamic batching, rows of similar length "
				+ "run together; `-padded` batching with every run padded to its longest text; `:2` one intra-op "
				+ "thread per core), `rest` and `grpc` the sample app's `restaurant-embeddings` (batching on) over V2, "
				+ "CPU the app's. Medians [min–max] over the rounds.\n\n");
		for (int callers : CALLERS) {
			if (results.stream().noneMatch((r) -> r.callers() == callers)) {
				continue;
			}
			report.append("## ").append(callers).append((callers == 1) ? " caller" : " callers").append("\n\n");
			report.append("| way | embeddings/s | ÷ direct | ÷ langchain4j | p50 ms | p99 ms | CPU ms per embedding | "
					+ "cosine to the floor |\n|---|---|---|---|---|---|---|---|\n");
			for (String way : WAYS) {
				List<Result> own = results.stream().filter((r) -> r.way().equals(way) && r.callers() == callers)
					.toList();
				if (own.isEmpty()) {
					continue;
				}
				report.append("| ").append(way).append(" | ")
					.append(Summary.of(own.stream().map(Result::perSecond).toList()).format(0)).append(" | ")
					.append(ratio(results, way, "direct", callers)).append(" | ")
					.append(ratio(results, way, "langchain4j", callers)).append(" | ")
					.append(Summary.of(own.stream().map(Result::p50).toList()).format(2)).append(" | ")
					.append(Summary.of(own.stream().map(Result::p99).toList()).format(1)).append(" | ")
					.append(Summary.of(own.stream().map(Result::cpu).toList()).format(2)).append(" | ")
					.append(String.format(java.util.Locale.ROOT, "%.5f",
							own.stream().mapToDouble(Result::cosine).min().orElse(0)))
					.append(" |\n");
			}
			report.append('\n');
		}
		report.append("## Goals\n\n");
		report.append("- 1 caller, in process: `registry` ≥ 0.95 × `direct`'s throughput: ")
			.append(goal(results, "registry", "direct", 1, 0.95)).append("; with one intra-op thread per core, "
					+ "`registry-batching:2` ÷ `direct`: ")
			.append(ratio(results, "registry-batching:2", "direct", 1).isEmpty() ? "not measured"
					: ratio(results, "registry-batching:2", "direct", 1))
			.append(".\n");
		report.append("- 64 callers, in process, batching on: ≥ 2 × `langchain4j`: `registry-batching` ")
			.append(goal(results, "registry-batching", "langchain4j", 64, 2)).append(", `registry-batching:2` ")
			.append(goal(results, "registry-batching:2", "langchain4j", 64, 2)).append(".\n");
		report.append("- 64 callers over V2 REST: ≥ 1.3 × `langchain4j` in process: ")
			.append(goal(results, "rest", "langchain4j", 64, 1.3)).append(".\n\n");
		report.append("Raw figures: [`text-peers.tsv`](text-peers.tsv), one line per run.\n");
		return report.toString();
	}

	/** The median over the rounds of the ratio of two ways' throughput within a round */
	private static String ratio(List<Result> results, String way, String of, int callers) {
		List<Double> ratios = ratios(results, way, of, callers);
		return ratios.isEmpty() ? "" : Summary.of(ratios).format(2);
	}

	private static List<Double> ratios(List<Result> results, String way, String of, int callers) {
		Map<Integer, Double> reference = new LinkedHashMap<>();
		results.stream().filter((r) -> r.way().equals(of) && r.callers() == callers)
			.forEach((r) -> reference.put(r.round(), r.perSecond()));
		List<Double> ratios = new ArrayList<>();
		results.stream().filter((r) -> r.way().equals(way) && r.callers() == callers && reference.containsKey(r.round()))
			.forEach((r) -> ratios.add(r.perSecond() / reference.get(r.round())));
		return ratios;
	}

	private static String goal(List<Result> results, String way, String of, int callers, double goal) {
		List<Double> ratios = ratios(results, way, of, callers);
		if (ratios.isEmpty()) {
			return "not measured";
		}
		Summary summary = Summary.of(ratios);
		return summary.format(2) + " (goal " + goal + ": " + ((summary.median() >= goal) ? "**met**" : "**not met**")
				+ ")";
	}

}
