package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.util.Statistics;

/**
 * Runs {@link BatchingBenchmark} at 1 thread (both models, every strategy) and at 64 threads (the 5 ms model, every
 * strategy but {@code per-request}, which loads that 68 MB model per request), batching off and on, and writes
 * JMH's JSON ({@code jmh-1t.json}, {@code jmh-64t.json}) and {@code jmh.md} to the results folder. The report pairs
 * the forks of off and on by their order (fork 1 with fork 1), takes the ratios on ÷ off per pair, and gives the
 * median [min–max] over the pairs.
 * <pre>
 * --out DIR     the results folder (default benchmarks/target/batching)
 * --forks 3     JVM forks per configuration
 * --quick       one fork-less, sub-second iteration of the sample model at 1 thread: the smoke test's mode
 * </pre>
 * Full mode takes about 15 minutes on 2 cores: {@code benchmarks/batching.sh --jmh}.
 */
public final class BatchingRunner {

	private BatchingRunner() {
	}

	public static void main(String[] args) throws Exception {
		List<String> arguments = List.of(args);
		Path out = Path.of(option(arguments, "--out", "benchmarks/target/batching"));
		boolean quick = arguments.contains("--quick");
		int forks = Integer.parseInt(option(arguments, "--forks", "3"));
		measure(out, quick, forks);
		System.out.println("Results in " + out.toAbsolutePath());
		System.exit(0);
	}

	/**
	 * Runs the benchmark at 1 thread and, unless quick, at 64, writing JMH's JSON and {@code jmh.md} to {@code out}.
	 */
	public static void measure(Path out, boolean quick, int forks) throws Exception {
		Files.createDirectories(out);
		List<RunResult> results = new ArrayList<>();
		results.addAll(run(out, 1, quick ? List.of(SampleModels.SAMPLE) : List.of(SampleModels.SAMPLE, "wide"), quick,
				forks));
		if (!quick) {
			results.addAll(run(out, 64, List.of("wide"), false, forks));
		}
		Files.writeString(out.resolve("jmh.md"), report(results, forks, quick));
	}

	private static Collection<RunResult> run(Path out, int threads, List<String> models, boolean quick, int forks)
			throws Exception {
		ChainedOptionsBuilder options = Jmh.options(quick);
		options.include("^" + Pattern.quote(BatchingBenchmark.class.getName() + "."))
			.param("model", models.toArray(String[]::new))
			.threads(threads)
			.forks(quick ? 0 : forks)
			.jvmArgs("-Xms2g", "-Xmx2g", "-Djava.awt.headless=true")
			.warmupIterations(quick ? 1 : 2)
			.measurementIterations(quick ? 1 : 3)
			.result(out.resolve("jmh-" + threads + "t.json").toString());
		if (quick) {
			options.param("strategy", "sharded-rcu");
		}
		else if (threads > 1) {
			// per-request loads the 68 MB model for every request (for every batch with batching): at 64 in flight
			// one request waits about 28 s, so a fork would take minutes; BatchingTests covers its correctness
			options.param("strategy", "sharded-rcu", "rwlock", "mutex", "static");
		}
		return new Runner(options.build()).run();
	}

	static String report(List<RunResult> results, int forks, boolean quick) {
		StringBuilder md = new StringBuilder("# Batching off and on, JMH\n\n");
		md.append(String.format(Locale.ROOT, "`java -cp benchmarks/target/benchmarks.jar io.github.modelregistry"
				+ ".benchmarks.BatchingRunner%s`, %s, %d processors, %s. `BatchingBenchmark`: each JMH thread keeps one "
				+ "`inferAsync` of a 10×40 batch in flight (threads = requests in flight), sample time; %s; throughput is "
				+ "threads ÷ mean time. Ratios on ÷ off per pair of forks, median [min–max] over %d pair(s).%n%n",
				quick ? " --quick" : (forks == 3) ? "" : " --forks " + forks,
				Instant.now().toString().substring(0, 16).replace('T', ' ') + " UTC",
				Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
				quick ? "one 0.2 s iteration, no fork" : "2 × 1 s warm-up and 3 × 1 s measurement iterations per fork",
				quick ? 1 : forks));
		md.append("| model | in flight | strategy | requests/s off → on | throughput on ÷ off | p50 µs off → on "
				+ "| p50 on ÷ off | p99 on ÷ off |\n|---|---|---|---|---|---|---|---|\n");
		for (RunResult off : results) {
			if (!off.getParams().getParam("batching").equals("off")) {
				continue;
			}
			RunResult on = results.stream()
				.filter((r) -> r.getParams().getParam("batching").equals("on")
						&& r.getParams().getThreads() == off.getParams().getThreads()
						&& r.getParams().getParam("model").equals(off.getParams().getParam("model"))
						&& r.getParams().getParam("strategy").equals(off.getParams().getParam("strategy")))
				.findFirst()
				.orElseThrow();
			int threads = off.getParams().getThreads();
			List<Statistics> offs = forks(off);
			List<Statistics> ons = forks(on);
			int pairs = Math.min(offs.size(), ons.size());
			double[] throughput = new double[pairs];
			double[] p50 = new double[pairs];
			double[] p99 = new double[pairs];
			for (int i = 0; i < pairs; i++) {
				throughput[i] = offs.get(i).getMean() / ons.get(i).getMean();
				p50[i] = ons.get(i).getPercentile(50) / offs.get(i).getPercentile(50);
				p99[i] = ons.get(i).getPercentile(99) / offs.get(i).getPercentile(99);
			}
			Statistics allOff = off.getPrimaryResult().getStatistics();
			Statistics allOn = on.getPrimaryResult().getStatistics();
			md.append(String.format(Locale.ROOT, "| %s | %d | %s | %.0f → %.0f | %s | %.0f → %.0f | %s | %s |%n",
					off.getParams().getParam("model"), threads, off.getParams().getParam("strategy"),
					threads * 1e6 / allOff.getMean(), threads * 1e6 / allOn.getMean(), spread(throughput),
					allOff.getPercentile(50), allOn.getPercentile(50), spread(p50), spread(p99)));
		}
		md.append("\nJMH's own results: `jmh-1t.json` and `jmh-64t.json` beside this file.\n");
		return md.toString();
	}

	/**
	 * Each fork's samples, in the order the forks ran.
	 */
	private static List<Statistics> forks(RunResult result) {
		return result.getBenchmarkResults()
			.stream()
			.map(BenchmarkResult::getPrimaryResult)
			.map((primary) -> primary.getStatistics())
			.toList();
	}

	private static String spread(double[] values) {
		double[] sorted = values.clone();
		Arrays.sort(sorted);
		return String.format(Locale.ROOT, "%.2f [%.2f–%.2f]", sorted[sorted.length / 2], sorted[0],
				sorted[sorted.length - 1]);
	}

	private static String option(List<String> arguments, String name, String fallback) {
		int index = arguments.indexOf(name);
		return (index >= 0 && index + 1 < arguments.size()) ? arguments.get(index + 1) : fallback;
	}

}
