package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

import io.github.modelregistry.benchmarks.report.InferPathReport;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs {@link InferPathBenchmark} with JMH's GC profiler at 1 and 2 threads, writes JMH's JSON to
 * {@code infer-path-<n>t.json} and renders {@code INFER-PATH.md} ({@link InferPathReport}) in the results folder.
 * <pre>
 * --out DIR     the results folder (default benchmarks/results/infer-path)
 * --forks 3     JVM forks per path and thread count: the report's min-max spread is over them
 * --quick       one fork-less, sub-second iteration: the smoke test's mode
 * </pre>
 * Full mode takes about 5 minutes: {@code benchmarks/infer-path.sh}.
 */
public final class InferPathRunner {

	private InferPathRunner() {
	}

	public static void main(String[] args) throws Exception {
		List<String> arguments = List.of(args);
		Path out = Path.of(option(arguments, "--out", "benchmarks/target/infer-path"));
		boolean quick = arguments.contains("--quick");
		int forks = Integer.parseInt(option(arguments, "--forks", "3"));
		run(out, quick, forks);
		InferPathReport.render(out);
		System.out.println("Results in " + out.toAbsolutePath());
		System.exit(0);
	}

	/**
	 * Runs the benchmark at 1 and 2 threads, writing JMH's JSON to {@code out}.
	 */
	public static void run(Path out, boolean quick, int forks) throws Exception {
		Files.createDirectories(out);
		for (int threads : List.of(1, 2)) {
			ChainedOptionsBuilder options = Jmh.options(quick);
			options.include("^" + Pattern.quote(InferPathBenchmark.class.getName() + "."))
				.threads(threads)
				.forks(quick ? 0 : forks)
				.addProfiler(GCProfiler.class)
				.warmupIterations(quick ? 1 : 3)
				.result(out.resolve("infer-path-" + threads + "t.json").toString());
			new Runner(options.build()).run();
		}
	}

	private static String option(List<String> arguments, String name, String fallback) {
		int index = arguments.indexOf(name);
		return (index >= 0 && index + 1 < arguments.size()) ? arguments.get(index + 1) : fallback;
	}

}
