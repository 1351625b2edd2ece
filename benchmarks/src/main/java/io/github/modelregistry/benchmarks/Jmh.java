package io.github.modelregistry.benchmarks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;

import io.github.modelregistry.benchmarks.report.ResultsRenderer;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The one way this project runs JMH ({@code benchmarks/jmh}, the benchmarks jar's main). The project's options live
 * here and nowhere else: {@value #FORKS} forks, {@value #WARMUP_ITERATIONS} warm-up and {@value #ITERATIONS}
 * measurement iterations of a second, a 1 GB heap, JMH's GC profiler, failing on any error, and JMH's JSON written to
 * {@code benchmarks/target/jmh/}. Benchmark classes carry no {@code @Fork}, {@code @Warmup} or {@code @Measurement}
 * of their own (JMH would let these options override them anyway); an option given on the command line wins over
 * the project's.
 * <pre>
 * benchmarks/jmh DecodeBenchmark                    one benchmark class (any JMH regular expression)
 * benchmarks/jmh Observation -f 1 -p model=sample   JMH's own options on top
 * benchmarks/jmh --suite strategies [options]        every strategy benchmark and the experiment, RESULTS.md and charts
 * benchmarks/jmh --suite infer-path [--forks N]      the infer path before and without/with the tensor pool
 * benchmarks/jmh --suite batching [--jmh]            batching off and on in process (the experiment, or under JMH)
 * benchmarks/jmh --suite memory [rounds]             the memory charge against resident memory growth
 * benchmarks/jmh -l                                  lists the benchmarks
 * </pre>
 */
public final class Jmh {

	static final int FORKS = 3;

	static final int WARMUP_ITERATIONS = 5;

	static final int ITERATIONS = 5;

	/** Where JMH's JSON goes */
	public static final Path OUT = Path.of("benchmarks/target/jmh");

	private Jmh() {
	}

	public static void main(String[] args) throws Exception {
		List<String> arguments = Arrays.asList(args);
		if (!arguments.isEmpty() && arguments.get(0).equals("--suite")) {
			try {
				suite(arguments.subList(1, arguments.size()));
			}
			catch (IllegalArgumentException ex) {
				System.err.println("benchmarks/jmh: " + ex.getMessage());
				System.exit(2);
			}
			System.exit(0);
		}
		CommandLineOptions command = new CommandLineOptions(args);
		if (command.shouldHelp() || command.shouldList() || command.shouldListProfilers()
				|| command.shouldListResultFormats() || command.shouldListWithParams() || arguments.isEmpty()) {
			new Runner(command).list();
			System.exit(arguments.isEmpty() ? 2 : 0);
		}
		String label = command.getIncludes().isEmpty() ? "all"
				: String.join("-", command.getIncludes()).replaceAll("[^A-Za-z0-9.-]", "_");
		Files.createDirectories(OUT);
		Path json = OUT.resolve(label + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"))
				+ ".json");
		ChainedOptionsBuilder options = new OptionsBuilder().parent(command);
		// The project's options, each only where the command line did not give one
		if (!command.getForkCount().hasValue()) {
			options.forks(FORKS);
		}
		if (!command.getWarmupIterations().hasValue()) {
			options.warmupIterations(WARMUP_ITERATIONS);
		}
		if (!command.getWarmupTime().hasValue()) {
			options.warmupTime(TimeValue.seconds(1));
		}
		if (!command.getMeasurementIterations().hasValue()) {
			options.measurementIterations(ITERATIONS);
		}
		if (!command.getMeasurementTime().hasValue()) {
			options.measurementTime(TimeValue.seconds(1));
		}
		if (!command.getJvmArgsAppend().hasValue() && !command.getJvmArgs().hasValue()) {
			options.jvmArgsAppend("-Xms1g", "-Xmx1g", "-Djava.awt.headless=true");
		}
		if (command.getProfilers().isEmpty()) {
			options.addProfiler(GCProfiler.class);
		}
		if (!command.getTimeout().hasValue()) {
			options.timeout(TimeValue.seconds(120));
		}
		if (!command.getResult().hasValue()) {
			options.resultFormat(ResultFormatType.JSON).result(json.toString());
		}
		if (!command.shouldFailOnError().hasValue()) {
			options.shouldFailOnError(true);
		}
		new Runner(options.build()).run();
		System.out.println("JMH's JSON: " + (command.getResult().hasValue() ? command.getResult().get() : json));
		System.exit(0);
	}

	/**
	 * The project's options for a runner of its own (a suite): quick means the smoke tests' durations in this JVM.
	 * @param quick whether to run briefly and without forks
	 * @return the options, to which the runner adds its includes, threads, parameters and result file
	 */
	public static ChainedOptionsBuilder options(boolean quick) {
		return new OptionsBuilder().forks(quick ? 0 : FORKS)
			.warmupIterations(quick ? 1 : WARMUP_ITERATIONS)
			.warmupTime(TimeValue.milliseconds(quick ? 50 : 1000))
			.measurementIterations(quick ? 1 : ITERATIONS)
			.measurementTime(TimeValue.milliseconds(quick ? 100 : 1000))
			.jvmArgsAppend("-Xms1g", "-Xmx1g", "-Djava.awt.headless=true")
			.timeout(TimeValue.seconds(120))
			.shouldFailOnError(true)
			.verbosity(quick ? VerboseMode.SILENT : VerboseMode.NORMAL)
			.resultFormat(ResultFormatType.JSON);
	}

	private static void suite(List<String> arguments) throws Exception {
		if (arguments.isEmpty()) {
			throw new IllegalArgumentException("--suite needs a name: strategies, infer-path or batching");
		}
		String[] rest = arguments.subList(1, arguments.size()).toArray(String[]::new);
		switch (arguments.get(0)) {
			case "strategies" -> BenchmarkRunner.main(rest);
			case "infer-path" -> InferPathRunner.main(rest);
			case "batching" -> {
				if (Arrays.asList(rest).contains("--jmh")) {
					BatchingRunner.main(Arrays.stream(rest).filter((a) -> !a.equals("--jmh")).toArray(String[]::new));
				}
				else {
					BatchingExperiment.main(rest);
				}
			}
			case "memory" -> memory((rest.length > 0) ? Integer.parseInt(rest[0]) : 3);
			case "render" -> ResultsRenderer.main(rest);
			default -> throw new IllegalArgumentException("no suite " + arguments.get(0)
					+ "; the suites are strategies, infer-path, batching and memory");
		}
	}

	/**
	 * The memory charge against resident memory growth ({@link MemoryChargeExperiment}): for the sample model and a
	 * 5 ms model, 1, 10 and 50 models registered, each in a fresh JVM whose heap is fixed and touched at start, so that
	 * only native memory moves. Writes {@code benchmarks/target/memory/memory.tsv}.
	 */
	private static void memory(int rounds) throws Exception {
		Path out = Path.of("benchmarks/target/memory");
		Files.createDirectories(out);
		String jar = Path.of(Jmh.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
		List<String> lines = new java.util.ArrayList<>(List.of("# benchmarks/jmh --suite memory " + rounds + ", "
				+ java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC) + ", "
				+ Runtime.getRuntime().availableProcessors() + " cores",
				"round\tkind\tmodels\tcharged_mb\tresident_growth_mb\tcharged_per_growth"));
		for (int round = 1; round <= rounds; round++) {
			for (String kind : List.of("sample", "wide")) {
				for (int models : List.of(1, 10, 50)) {
					Process java = new ProcessBuilder("java", "-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch", "-cp", jar,
							MemoryChargeExperiment.class.getName(), kind, Integer.toString(models))
						.redirectError(ProcessBuilder.Redirect.DISCARD)
						.start();
					List<String> output = new String(java.getInputStream().readAllBytes()).lines().toList();
					if (java.waitFor() != 0 || output.isEmpty()) {
						throw new IllegalStateException("MemoryChargeExperiment " + kind + " " + models + " failed");
					}
					String line = round + "\t" + output.get(output.size() - 1);
					System.out.println(line);
					lines.add(line);
				}
			}
		}
		Files.write(out.resolve("memory.tsv"), lines);
		System.out.println("Wrote " + out.resolve("memory.tsv"));
	}

}
