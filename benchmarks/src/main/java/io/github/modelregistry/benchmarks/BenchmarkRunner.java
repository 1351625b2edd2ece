package io.github.modelregistry.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.modelregistry.benchmarks.report.ResultsRenderer;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every benchmark with bounded durations, writes JMH's JSON and the experiment's JSON to a results folder,
 * and renders {@code RESULTS.md} and the charts there ({@link ResultsRenderer}).
 * <pre>
 * --full                full durations (default): about 8 minutes on 2 cores
 * --quick               a fraction of a second per benchmark, in this JVM: the smoke test's mode
 * --out DIR             the results folder (default benchmarks/target/strategies)
 * --threads 1,2         reader threads of the read-path benchmark (more on bigger machines)
 * --readers 2           reader threads of the reads-while-publishing benchmark (plus one publisher)
 * --experiment-timeout 60   seconds before a strategy's 1,000-task run is stopped
 * --experiment-threads N    pool size of the experiment (default: the number of cores)
 * --hidden 4096,4096    hidden layers of the experiment's generated model (about 5 ms per 10x40 batch here)
 * </pre>
 * Files written: {@code read-path-<n>t.json}, {@code read-path-<n>t-16-shards.json} (full mode), {@code publishing.json}, {@code inference.json} (JMH),
 * {@code experiment.json}, {@code machine.json}, {@code RESULTS.md}, {@code *.png}.
 */
public final class BenchmarkRunner {

	/**
	 * How long and how wide to run.
	 * @param quick whether this is the smoke-test mode (forks 0, tiny durations, experiment in this JVM)
	 * @param out the results folder
	 * @param threads thread counts of the read-path benchmark
	 * @param readers reader threads of the publishing benchmark
	 * @param experimentTasks tasks of the experiment
	 * @param experimentThreads pool size of the experiment
	 * @param experimentTimeout when an experiment run stops
	 * @param hidden hidden layers of the experiment's model
	 */
	public record Config(boolean quick, Path out, List<Integer> threads, int readers, int experimentTasks,
			int experimentThreads, Duration experimentTimeout, String hidden) {

		/**
		 * The smoke test's configuration: every benchmark and every strategy, a fraction of a second each.
		 * @param out the results folder
		 * @return the configuration
		 */
		public static Config quick(Path out) {
			return new Config(true, out, List.of(1, 2), 2, 1000, cores(), Duration.ofSeconds(20), "256,256");
		}

		/**
		 * The full run's configuration.
		 * @param out the results folder
		 * @return the configuration
		 */
		public static Config full(Path out) {
			return new Config(false, out, List.of(1, 2), 2, 1000, cores(), Duration.ofSeconds(60), "4096,4096");
		}

	}

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The files a run writes, deleted before a new run. */
	private static final String PREVIOUS_RESULTS = "(read-path-.*|publishing|inference|experiment|machine)\\.json"
			+ "|RESULTS\\.md|(read-path|read-latency-p99|read-latency-p999|inference|experiment)\\.png";

	private BenchmarkRunner() {
	}

	public static void main(String[] args) throws Exception {
		List<String> arguments = List.of(args);
		Path out = Path.of(option(arguments, "--out", "benchmarks/target/strategies"));
		Config config = arguments.contains("--quick") ? Config.quick(out) : Config.full(out);
		config = new Config(config.quick(), out,
				Arrays.stream(option(arguments, "--threads", join(config.threads())).split(","))
					.map(String::trim)
					.map(Integer::valueOf)
					.toList(),
				Integer.parseInt(option(arguments, "--readers", Integer.toString(config.readers()))),
				config.experimentTasks(),
				Integer.parseInt(option(arguments, "--experiment-threads", Integer.toString(config.experimentThreads()))),
				Duration.ofSeconds(Long.parseLong(option(arguments, "--experiment-timeout",
						Long.toString(config.experimentTimeout().toSeconds())))),
				option(arguments, "--hidden", config.hidden()));
		run(config);
		ResultsRenderer.render(config.out());
		System.out.println("Results in " + config.out().toAbsolutePath());
		System.exit(0);
	}

	/**
	 * Runs every benchmark and the experiment, writing their results to {@code config.out()}. Does not render.
	 * @param config how long and how wide to run
	 */
	public static void run(Config config) throws Exception {
		Files.createDirectories(config.out());
		// Results of an earlier run, which the report would otherwise mix in (other files are left alone)
		try (Stream<Path> files = Files.list(config.out())) {
			for (Path file : files.toList()) {
				if (file.getFileName().toString().matches(PREVIOUS_RESULTS)) {
					Files.delete(file);
				}
			}
		}
		long start = System.nanoTime();
		Map<String, Object> machine = machine(config);
		for (int threads : config.threads()) {
			jmh(config, ReadPathBenchmark.class, "read-path-" + threads + "t.json", (options) -> options
				.threads(threads)
				.warmupIterations(config.quick() ? 1 : 3)
				.warmupTime(time(config, 50, 1000))
				.measurementIterations(config.quick() ? 1 : 5)
				.measurementTime(time(config, 100, 1000)));
		}
		int most = config.threads().get(config.threads().size() - 1);
		if (!config.quick() && most > 1) {
			// Diagnosis: the same read path with 16 shards, where the reader threads are less likely to share one
			jmh(config, "^" + Pattern.quote(ReadPathBenchmark.class.getName() + ".read") + "$", "read-path-" + most + "t-16-shards.json",
					(options) -> options
				.param("strategy", "sharded-rcu", "static")
				.param("shards", "16")
				.threads(most)
				.warmupIterations(3)
				.warmupTime(time(config, 50, 1000))
				.measurementIterations(5)
				.measurementTime(time(config, 100, 1000)));
		}
		jmh(config, ReadWhilePublishingBenchmark.class, "publishing.json", (options) -> options
			.threadGroups(config.readers(), 1)
			.warmupIterations(config.quick() ? 1 : 2)
			.warmupTime(time(config, 50, 1000))
			.measurementIterations(config.quick() ? 1 : 3)
			.measurementTime(time(config, 100, 2000)));
		jmh(config, InferenceOverheadBenchmark.class, "inference.json", (options) -> options
			.threads(1)
			.warmupIterations(config.quick() ? 1 : 3)
			.warmupTime(time(config, 50, 1000))
			.measurementIterations(config.quick() ? 1 : 5)
			.measurementTime(time(config, 100, 1000)));
		experiment(config);
		machine.put("loadAverageEnd", loadAverage());
		machine.put("durationSeconds", (System.nanoTime() - start) / 1_000_000_000L);
		JSON.writerWithDefaultPrettyPrinter().writeValue(config.out().resolve("machine.json").toFile(), machine);
	}

	private interface Customizer {

		ChainedOptionsBuilder apply(ChainedOptionsBuilder options);

	}

	private static void jmh(Config config, Class<?> benchmark, String file, Customizer customizer)
			throws RunnerException {
		jmh(config, "^" + Pattern.quote(benchmark.getName() + "."), file, customizer);
	}

	/**
	 * Runs the benchmarks whose names match {@code include}, writing JMH's JSON to {@code file}.
	 */
	private static void jmh(Config config, String include, String file, Customizer customizer)
			throws RunnerException {
		ChainedOptionsBuilder options = Jmh.options(config.quick())
			.include(include)
			// One fork per benchmark: the suite runs every strategy at several thread counts in about 8 minutes
			.forks(config.quick() ? 0 : 1)
			// Bounds each iteration: a deadlocked strategy fails the run instead of hanging it
			.timeout(TimeValue.seconds(config.quick() ? 20 : 60))
			.result(config.out().resolve(file).toString());
		new Runner(customizer.apply(options).build()).run();
	}

	private static TimeValue time(Config config, long quickMillis, long fullMillis) {
		return TimeValue.milliseconds(config.quick() ? quickMillis : fullMillis);
	}

	/**
	 * Generates the experiment's model, then runs every strategy: in this JVM in quick mode, otherwise each in its
	 * own JVM (so that its peak RSS is its own), killed if it outlives its timeout by two minutes.
	 */
	private static void experiment(Config config) throws Exception {
		Path base = Files.createTempDirectory("experiment-model");
		try {
			Path folder = SampleModels.generate(base, "wide", config.hidden());
			long modelBytes = Files.size(folder.resolve("1").resolve("model.onnx"));
			List<Object> outcomes = new ArrayList<>();
			for (String strategy : Strategies.ALL) {
				ArticleExperiment.Settings settings = new ArticleExperiment.Settings(strategy, "wide", folder,
						config.experimentTasks(), config.experimentThreads(), config.experimentTimeout());
				if (config.quick()) {
					outcomes.add(ArticleExperiment.run(settings));
				}
				else {
					outcomes.add(JSON.readValue(forked(config, settings).toFile(), Map.class));
				}
			}
			Map<String, Object> experiment = new LinkedHashMap<>();
			experiment.put("cores", cores());
			experiment.put("hidden", config.hidden());
			experiment.put("modelBytes", modelBytes);
			experiment.put("tasks", config.experimentTasks());
			experiment.put("threads", config.experimentThreads());
			experiment.put("timeoutSeconds", config.experimentTimeout().toSeconds());
			experiment.put("inProcess", config.quick());
			experiment.put("outcomes", outcomes);
			JSON.writerWithDefaultPrettyPrinter()
				.writeValue(config.out().resolve("experiment.json").toFile(), experiment);
		}
		finally {
			try (Stream<Path> paths = Files.walk(base)) {
				paths.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
			}
		}
	}

	private static Path forked(Config config, ArticleExperiment.Settings settings) throws Exception {
		Path result = Files.createTempFile("experiment-" + settings.strategy(), ".json");
		String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		List<String> command = List.of(java, "-Xms1g", "-Xmx1g", "-cp", System.getProperty("java.class.path"),
				ArticleExperiment.class.getName(), "--strategy", settings.strategy(), "--model", settings.model(),
				"--folder", settings.folder().toString(), "--tasks", Integer.toString(settings.tasks()), "--threads",
				Integer.toString(settings.threads()), "--timeout-seconds",
				Long.toString(settings.timeout().toSeconds()), "--out", result.toString());
		System.out.println("# Experiment: " + settings.strategy() + ", " + settings.tasks() + " tasks on "
				+ settings.threads() + " threads, timeout " + settings.timeout().toSeconds() + " s");
		Process process = new ProcessBuilder(command).inheritIO().start();
		if (!process.waitFor(settings.timeout().toSeconds() + 120, TimeUnit.SECONDS)) {
			process.destroyForcibly().waitFor();
			throw new IllegalStateException("The " + settings.strategy() + " experiment did not stop: killed");
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException("The " + settings.strategy() + " experiment failed: exit code "
					+ process.exitValue());
		}
		return result;
	}

	private static Map<String, Object> machine(Config config) {
		Map<String, Object> machine = new LinkedHashMap<>();
		machine.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
		machine.put("cores", cores());
		machine.put("javaVersion", System.getProperty("java.runtime.version"));
		machine.put("javaVm", System.getProperty("java.vm.name") + " " + System.getProperty("java.vm.version"));
		machine.put("javaVendor", System.getProperty("java.vendor"));
		machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch"));
		machine.put("cpu", cpuModel());
		machine.put("memoryBytes", memoryBytes());
		machine.put("mode", config.quick() ? "quick" : "full");
		machine.put("loadAverageStart", loadAverage());
		return machine;
	}

	static int cores() {
		return Runtime.getRuntime().availableProcessors();
	}

	private static String loadAverage() {
		return firstLine(Path.of("/proc/loadavg"), "", "n/a");
	}

	private static String cpuModel() {
		return firstLine(Path.of("/proc/cpuinfo"), "model name", "n/a").replaceFirst("^model name\\s*:\\s*", "");
	}

	private static long memoryBytes() {
		String line = firstLine(Path.of("/proc/meminfo"), "MemTotal", "");
		String[] parts = line.split("\\s+");
		return (parts.length >= 2) ? Long.parseLong(parts[1]) * 1024 : -1;
	}

	private static String firstLine(Path file, String prefix, String fallback) {
		try {
			return Files.readAllLines(file).stream().filter((line) -> line.startsWith(prefix)).findFirst()
				.orElse(fallback).trim();
		}
		catch (IOException | RuntimeException ex) {
			return fallback;
		}
	}

	private static String option(List<String> arguments, String option, String fallback) {
		int index = arguments.indexOf(option);
		return (index >= 0 && index + 1 < arguments.size()) ? arguments.get(index + 1) : fallback;
	}

	private static String join(List<Integer> values) {
		return String.join(",", values.stream().map(String::valueOf).toList());
	}

}
