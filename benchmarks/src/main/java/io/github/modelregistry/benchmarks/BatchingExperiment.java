package io.github.modelregistry.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.Batching;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;

/**
 * Batching off and on, in process, closed loop: {@code n} clients each keep one {@code inferAsync} of a 10×40 batch
 * in flight (the next is sent from the previous one's completion), for the sample model and for a generated model
 * of about 5 ms per batch on one core, at 1, 8, 64 and 256 in flight. Each round runs every combination once, off
 * and on taking turns (which goes first alternating by round), strategies taking turns by round; ratios are taken
 * within a round. Reports throughput, p50 and p99 of each request's time from sending to answer, and the process's
 * CPU time per request ({@code OperatingSystemMXBean.getProcessCpuTime}).
 * <p>
 * Usage: {@code java -cp benchmarks.jar io.github.modelregistry.benchmarks.BatchingExperiment [out folder]
 * [seconds per run] [rounds] [strategies, comma-separated] [hidden layers of the generated model]}.
 */
public final class BatchingExperiment {

	private static final int[] IN_FLIGHT = { 1, 8, 64, 256 };

	private BatchingExperiment() {
	}

	/**
	 * One run's figures.
	 */
	record Run(int round, String model, String strategy, int inFlight, boolean batching, double perSecond,
			double p50Millis, double p99Millis, double cpuMicrosPerRequest) {
	}

	public static void main(String[] args) throws Exception {
		Path out = Path.of((args.length > 0) ? args[0] : "benchmarks/target/batching");
		int seconds = (args.length > 1) ? Integer.parseInt(args[1]) : 4;
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 3;
		List<String> strategies = List.of(((args.length > 3) ? args[3] : "sharded-rcu,rwlock").split(","));
		String hidden = (args.length > 4) ? args[4] : "4096,4096";
		Files.createDirectories(out);
		Path base = Files.createTempDirectory("batching-models");
		Map<String, Path> models = new LinkedHashMap<>();
		models.put("restaurant-ranker", SampleModels.extractSample(base));
		models.put("wide", SampleModels.generate(base, "wide", hidden));
		List<Run> runs = new ArrayList<>();
		for (int round = 1; round <= rounds; round++) {
			String strategy = strategies.get((round - 1) % strategies.size());
			for (Map.Entry<String, Path> model : models.entrySet()) {
				for (int inFlight : IN_FLIGHT) {
					boolean[] order = (round % 2 == 1) ? new boolean[] { false, true } : new boolean[] { true, false };
					for (boolean batching : order) {
						Run run = run(round, model.getKey(), model.getValue(), strategy, inFlight, batching,
								Duration.ofSeconds(seconds));
						runs.add(run);
						System.out.printf(Locale.ROOT, "round %d %s %s %3d in flight, batching %-3s: %8.0f /s, p50 %7.2f ms,"
								+ " p99 %7.2f ms, %6.0f µs CPU%n", round, run.model(), strategy, inFlight,
								batching ? "on" : "off", run.perSecond(), run.p50Millis(), run.p99Millis(),
								run.cpuMicrosPerRequest());
					}
				}
			}
		}
		write(out, runs, seconds, rounds, strategies, hidden);
	}

	private static Run run(int round, String name, Path folder, String strategy, int inFlight, boolean batching,
			Duration measure) throws Exception {
		ModelDefinition definition = new ModelDefinition(name, folder.toUri().toString(), null,
				HolderStrategy.fromValue(strategy), LoadMode.EAGER);
		try (ModelRegistry registry = ModelRegistry.builder()
			.model(definition)
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))
			.batching(batching ? Batching.DEFAULTS : null)
			.build()) {
			registry.start();
			Tensor input = SampleModels.tensor(SampleModels.batch(round));
			// Warm-up: a second of the same load, so that the JIT and the runtime's arenas have settled
			closedLoop(registry, name, input, inFlight, Duration.ofSeconds(2), null);
			long[] latencies = new long[4_000_000];
			AtomicInteger count = new AtomicInteger();
			com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
				.getOperatingSystemMXBean();
			long cpuBefore = os.getProcessCpuTime();
			long start = System.nanoTime();
			closedLoop(registry, name, input, inFlight, measure, (nanos) -> {
				int i = count.getAndIncrement();
				if (i < latencies.length) {
					latencies[i] = nanos;
				}
			});
			long elapsed = System.nanoTime() - start;
			long cpu = os.getProcessCpuTime() - cpuBefore;
			int n = Math.min(count.get(), latencies.length);
			long[] sorted = Arrays.copyOf(latencies, n);
			Arrays.sort(sorted);
			return new Run(round, name, strategy, inFlight, batching, n * 1e9 / elapsed, percentile(sorted, 0.50) / 1e6,
					percentile(sorted, 0.99) / 1e6, cpu / 1e3 / Math.max(1, n));
		}
	}

	interface Recorder {

		void record(long nanos);

	}

	/**
	 * Keeps {@code inFlight} inferences going until {@code duration} has passed, then waits for the last ones.
	 */
	private static void closedLoop(ModelRegistry registry, String model, Tensor input, int inFlight, Duration duration,
			Recorder recorder) throws InterruptedException {
		AtomicBoolean stop = new AtomicBoolean();
		CountDownLatch finished = new CountDownLatch(inFlight);
		AtomicInteger failures = new AtomicInteger();
		for (int c = 0; c < inFlight; c++) {
			send(registry, model, input, stop, finished, failures, recorder);
		}
		Thread.sleep(duration.toMillis());
		stop.set(true);
		if (!finished.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Inferences still running 60 s after the run ended");
		}
		if (failures.get() > 0) {
			throw new IllegalStateException(failures.get() + " inferences failed");
		}
	}

	private static void send(ModelRegistry registry, String model, Tensor input, AtomicBoolean stop,
			CountDownLatch finished, AtomicInteger failures, Recorder recorder) {
		long sent = System.nanoTime();
		registry.inferAsync(model, null, List.of(input), List.of()).whenComplete((result, failure) -> {
			if (failure != null) {
				failures.incrementAndGet();
			}
			else if (recorder != null) {
				recorder.record(System.nanoTime() - sent);
			}
			if (stop.get()) {
				finished.countDown();
			}
			else {
				send(registry, model, input, stop, finished, failures, recorder);
			}
		});
	}

	private static double percentile(long[] sorted, double p) {
		return (sorted.length == 0) ? Double.NaN : sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
	}

	private static void write(Path out, List<Run> runs, int seconds, int rounds, List<String> strategies, String hidden)
			throws IOException {
		StringBuilder tsv = new StringBuilder("round\tmodel\tstrategy\tin_flight\tbatching\tper_second\tp50_ms\tp99_ms\tcpu_us\n");
		for (Run run : runs) {
			tsv.append(String.format(Locale.ROOT, "%d\t%s\t%s\t%d\t%s\t%.1f\t%.3f\t%.3f\t%.1f%n", run.round(), run.model(),
					run.strategy(), run.inFlight(), run.batching() ? "on" : "off", run.perSecond(), run.p50Millis(),
					run.p99Millis(), run.cpuMicrosPerRequest()));
		}
		Files.writeString(out.resolve("runs.tsv"), tsv);
		StringBuilder md = new StringBuilder("# Batching off and on, in process\n\n");
		md.append(String.format(Locale.ROOT, "`java -cp benchmarks/target/benchmarks.jar io.github.modelregistry.benchmarks"
				+ ".BatchingExperiment %s %d %d %s %s`, %s, %d processors, %s. Closed loop: each client keeps one "
				+ "`inferAsync` of a 10×40 batch in flight; %d s per run after 2 s of warm-up; a fresh registry per run "
				+ "(2 inference threads, no protection); `wide` is the generated model with hidden layers %s. Ratios "
				+ "on ÷ off within one round, median [min–max] over the rounds; strategies took turns by round (%s).%n%n",
				out, seconds, rounds, String.join(",", strategies), hidden, Instant.now().toString().substring(0, 16)
						.replace('T', ' ') + " UTC", Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.vm.name") + " " + System.getProperty("java.version"), seconds, hidden,
				String.join(", ", strategies)));
		md.append("| model | in flight | requests/s off | requests/s on | throughput on ÷ off | p50 on ÷ off | p99 on ÷ off "
				+ "| CPU µs/request off → on |\n|---|---|---|---|---|---|---|---|\n");
		for (String model : runs.stream().map(Run::model).distinct().toList()) {
			for (int inFlight : IN_FLIGHT) {
				List<double[]> pairs = new ArrayList<>();
				for (int round = 1; round <= rounds; round++) {
					Run off = find(runs, round, model, inFlight, false);
					Run on = find(runs, round, model, inFlight, true);
					pairs.add(new double[] { off.perSecond(), on.perSecond(), on.perSecond() / off.perSecond(),
							on.p50Millis() / off.p50Millis(), on.p99Millis() / off.p99Millis(), off.cpuMicrosPerRequest(),
							on.cpuMicrosPerRequest() });
				}
				md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s | %s | %.0f → %.0f |%n", model, inFlight,
						spread(pairs, 0, "%.0f"), spread(pairs, 1, "%.0f"), spread(pairs, 2, "%.2f"), spread(pairs, 3, "%.2f"),
						spread(pairs, 4, "%.2f"), median(pairs, 5), median(pairs, 6)));
			}
		}
		md.append("\nRaw figures: `runs.tsv` beside this file.\n");
		Files.writeString(out.resolve("batching.md"), md);
	}

	private static Run find(List<Run> runs, int round, String model, int inFlight, boolean batching) {
		return runs.stream()
			.filter((run) -> run.round() == round && run.model().equals(model) && run.inFlight() == inFlight
					&& run.batching() == batching)
			.findFirst()
			.orElseThrow();
	}

	private static double median(List<double[]> pairs, int column) {
		double[] values = pairs.stream().mapToDouble((pair) -> pair[column]).sorted().toArray();
		return values[values.length / 2];
	}

	private static String spread(List<double[]> pairs, int column, String format) {
		double[] values = pairs.stream().mapToDouble((pair) -> pair[column]).sorted().toArray();
		return String.format(Locale.ROOT, format + " [" + format + "–" + format + "]", values[values.length / 2], values[0],
				values[values.length - 1]);
	}

}
