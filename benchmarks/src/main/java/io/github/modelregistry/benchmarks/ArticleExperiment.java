package io.github.modelregistry.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The article's experiment, in process: 1,000 concurrent tasks, each running one 10×40 batch through the registry
 * on a model that costs about 5 ms per batch on one core, with one strategy. Reports the total time, throughput,
 * task latency (from submission to completion, so queueing counts), and peak memory: heap (sampled every 5 ms) and
 * process RSS (the kernel's high-water mark, reset before the run when the kernel allows it).
 * <p>
 * The tasks are submitted at once to a pool of {@code threads} threads (by default one per core, as the sample
 * app's inference scheduler is sized): the other tasks wait in its queue, as requests wait in a server. More
 * threads than cores cannot add throughput to CPU-bound inference: the physical limit is cores ÷ time per batch.
 * <p>
 * Bounded: after {@code timeout} the run stops (the pool is interrupted) and reports how many tasks finished; with
 * {@code per-request}, where every task loads the model, that is a result. Run one strategy per JVM (the
 * {@link BenchmarkRunner} does) so that the RSS high-water mark belongs to that strategy alone.
 */
public final class ArticleExperiment {

	private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

	private ArticleExperiment() {
	}

	/**
	 * What to run.
	 * @param strategy the strategy value
	 * @param model the model name
	 * @param folder the model's folder
	 * @param tasks how many tasks are submitted at once
	 * @param threads the size of the pool that runs them
	 * @param timeout when the run stops
	 */
	public record Settings(String strategy, String model, Path folder, int tasks, int threads, Duration timeout) {
	}

	/**
	 * What happened.
	 * @param strategy the strategy value
	 * @param tasks the tasks submitted
	 * @param threads the pool size
	 * @param completed tasks that finished with a result
	 * @param failed tasks that finished with an exception
	 * @param timedOut whether the run hit its timeout
	 * @param seconds the time from submitting the first task to the last completion (or to the timeout)
	 * @param throughput completed tasks per second
	 * @param oneBatchMillis median time of one batch on one thread through the same registry, before the run
	 * @param p50Millis median task latency, submission to completion, of completed tasks
	 * @param p99Millis 99th percentile task latency of completed tasks
	 * @param maxMillis slowest completed task
	 * @param peakHeapBytes the most heap in use, sampled every 5 ms during the run
	 * @param peakRssBytes the process's peak resident set size
	 * @param peakRssSinceReset whether the peak RSS covers the run only (else: since the JVM started)
	 * @param failure the first failure's message, if any
	 */
	public record Outcome(String strategy, int tasks, int threads, int completed, int failed, boolean timedOut,
			double seconds, double throughput, double oneBatchMillis, double p50Millis, double p99Millis,
			double maxMillis, long peakHeapBytes, long peakRssBytes, boolean peakRssSinceReset,
			@Nullable String failure) {
	}

	/**
	 * Runs the experiment.
	 * @param settings what to run
	 * @return what happened
	 */
	public static Outcome run(Settings settings) throws Exception {
		List<Tensor> inputs = List.of(SampleModels.tensor(SampleModels.batch(7)));
		try (ModelRegistry registry = SampleModels.registry(settings.model(), settings.folder(),
				settings.strategy())) {
			double oneBatch = oneBatchMillis(registry, settings, inputs);
			System.gc();
			boolean rssReset = resetPeakRss();
			int tasks = settings.tasks();
			long[] latencies = new long[tasks];
			AtomicInteger completed = new AtomicInteger();
			AtomicInteger failed = new AtomicInteger();
			AtomicReference<@Nullable String> failure = new AtomicReference<>();
			CountDownLatch done = new CountDownLatch(tasks);
			HeapSampler heap = new HeapSampler();
			heap.start();
			ExecutorService pool = Executors.newFixedThreadPool(settings.threads(), (task) -> {
				Thread thread = new Thread(task, "experiment");
				thread.setDaemon(true);
				return thread;
			});
			long start = System.nanoTime();
			for (int i = 0; i < tasks; i++) {
				int index = i;
				pool.execute(() -> {
					try {
						registry.infer(settings.model(), null, inputs, List.of());
						latencies[index] = System.nanoTime() - start;
						completed.incrementAndGet();
					}
					catch (RuntimeException ex) {
						failed.incrementAndGet();
						failure.compareAndSet(null, ex.getClass().getSimpleName() + ": " + ex.getMessage());
					}
					finally {
						done.countDown();
					}
				});
			}
			boolean finished = done.await(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
			long elapsed = System.nanoTime() - start;
			int completedAtEnd = completed.get();
			int failedAtEnd = failed.get();
			// Stop the rest: queued tasks are dropped, running ones finish their current call
			pool.shutdownNow();
			pool.awaitTermination(30, TimeUnit.SECONDS);
			heap.stop();
			long peakRss = procStatusBytes("VmHWM");
			long[] finishedLatencies = Arrays.stream(latencies).filter((latency) -> latency > 0).sorted().toArray();
			double seconds = elapsed / 1e9;
			return new Outcome(settings.strategy(), tasks, settings.threads(), completedAtEnd, failedAtEnd, !finished,
					seconds, completedAtEnd / seconds, oneBatch, percentileMillis(finishedLatencies, 0.50),
					percentileMillis(finishedLatencies, 0.99), percentileMillis(finishedLatencies, 1.0),
					heap.peak(), peakRss, rssReset, failure.get());
		}
	}

	/**
	 * Times single batches on one thread after a warm-up: the median, in milliseconds. For {@code per-request} each
	 * batch includes loading the model.
	 */
	private static double oneBatchMillis(ModelRegistry registry, Settings settings, List<Tensor> inputs) {
		boolean perRequest = "per-request".equals(settings.strategy());
		int warmups = perRequest ? 3 : 30;
		int runs = perRequest ? 7 : 31;
		for (int i = 0; i < warmups; i++) {
			registry.infer(settings.model(), null, inputs, List.of());
		}
		long[] times = new long[runs];
		for (int i = 0; i < runs; i++) {
			long start = System.nanoTime();
			registry.infer(settings.model(), null, inputs, List.of());
			times[i] = System.nanoTime() - start;
		}
		Arrays.sort(times);
		return times[runs / 2] / 1e6;
	}

	private static double percentileMillis(long[] sorted, double quantile) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(quantile * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	/**
	 * Resets the kernel's RSS high-water mark (VmHWM) of this process, Linux 4.0 on; false where not allowed.
	 */
	private static boolean resetPeakRss() {
		try {
			Files.writeString(Path.of("/proc/self/clear_refs"), "5");
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

	/**
	 * Reads a size field of {@code /proc/self/status} in bytes; -1 where there is none (not Linux).
	 */
	static long procStatusBytes(String field) {
		try {
			for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
				if (line.startsWith(field + ":")) {
					String[] parts = line.substring(field.length() + 1).trim().split("\\s+");
					return Long.parseLong(parts[0]) * 1024;
				}
			}
		}
		catch (IOException | RuntimeException ex) {
			// Not Linux: no RSS figure
		}
		return -1;
	}

	/**
	 * Samples the heap in use every 5 ms; a sample between collections is the most that was in use.
	 */
	private static final class HeapSampler {

		private final AtomicLong peak = new AtomicLong();

		private final Thread thread = new Thread(this::sample, "heap-sampler");

		private volatile boolean running = true;

		void start() {
			this.thread.setDaemon(true);
			this.thread.start();
		}

		private void sample() {
			while (this.running) {
				this.peak.accumulateAndGet(MEMORY.getHeapMemoryUsage().getUsed(), Math::max);
				try {
					Thread.sleep(5);
				}
				catch (InterruptedException ex) {
					return;
				}
			}
		}

		void stop() throws InterruptedException {
			this.running = false;
			this.thread.join(1000);
		}

		long peak() {
			return this.peak.get();
		}

	}

	/**
	 * Runs one strategy and writes its {@link Outcome} as JSON: {@code --strategy S --model NAME --folder DIR
	 * --tasks N --threads T --timeout-seconds S --out FILE}.
	 */
	public static void main(String[] args) throws Exception {
		List<String> arguments = List.of(args);
		Settings settings = new Settings(value(arguments, "--strategy"), value(arguments, "--model"),
				Path.of(value(arguments, "--folder")), Integer.parseInt(value(arguments, "--tasks")),
				Integer.parseInt(value(arguments, "--threads")),
				Duration.ofSeconds(Long.parseLong(value(arguments, "--timeout-seconds"))));
		Outcome outcome = run(settings);
		JsonMapper.builder().build().writerWithDefaultPrettyPrinter()
			.writeValue(Path.of(value(arguments, "--out")).toFile(), outcome);
		System.out.println(outcome);
		// The registry's ONNX threads are not daemons everywhere: leave without waiting for them
		System.exit(0);
	}

	static String value(List<String> arguments, String option) {
		int index = arguments.indexOf(option);
		if (index < 0 || index + 1 >= arguments.size()) {
			throw new IllegalArgumentException("Missing " + option);
		}
		return arguments.get(index + 1);
	}

}
