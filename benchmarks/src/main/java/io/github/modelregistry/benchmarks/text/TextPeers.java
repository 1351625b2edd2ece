package io.github.modelregistry.benchmarks.text;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run of one way of embedding text (see {@link Embedders}), in a JVM of its own: N callers in a closed loop,
 * each call one sentence of a fixed corpus of mixed length (a service embeds one query per request), a warm-up, then
 * a measured window. Before any timing, the way's vectors for the first sentences are compared with the floor's (ONNX
 * Runtime by hand, in this process). Prints one {@code RESULT} line; {@code measure/run text-peers} runs it for every
 * way and caller count, in rounds, and writes the report.
 * <p>
 * CPU per embedding: this process's (in process), or the app's from {@code /proc/<pid>/stat} (over REST and gRPC,
 * with the client's own beside it).
 *
 * <pre>
 * java -cp benchmarks.jar io.github.modelregistry.benchmarks.text.TextPeers --way registry-batching --callers 64 \
 *     [--warm-up 6] [--seconds 10] [--intra-op 0] [--target localhost:8080] [--app-pid 1234] [--clock-ticks 100]
 * </pre>
 */
public final class TextPeers {

	/** Sentences in the corpus, as the anchors measured */
	static final int CORPUS = 256;

	private TextPeers() {
	}

	public static void main(String[] args) throws Exception {
		Map<String, String> options = options(args);
		String way = required(options, "way");
		int callers = Integer.parseInt(options.getOrDefault("callers", "1"));
		int warmUp = Integer.parseInt(options.getOrDefault("warm-up", "6"));
		int seconds = Integer.parseInt(options.getOrDefault("seconds", "10"));
		int intraOp = Integer.parseInt(options.getOrDefault("intra-op", "0"));
		String target = options.getOrDefault("target", "localhost:8080");
		long appPid = Long.parseLong(options.getOrDefault("app-pid", "0"));
		int clockTicks = Integer.parseInt(options.getOrDefault("clock-ticks", "100"));
		List<String> corpus = corpus(CORPUS, 42);
		try (Embedders.Embedder embedder = Embedders.create(way, intraOp, target)) {
			double agreement = agreement(embedder, corpus.subList(0, 16));
			if (agreement < 0.999) {
				throw new IllegalStateException(way + " disagrees with the floor: cosine " + agreement);
			}
			loop(embedder, corpus, callers, warmUp * 1000L, null);
			long cpuBefore = processCpuNanos();
			long appBefore = (appPid > 0) ? appCpuNanos(appPid, clockTicks) : 0;
			List<long[]> latencies = new ArrayList<>();
			long start = System.nanoTime();
			int count = loop(embedder, corpus, callers, seconds * 1000L, latencies);
			double elapsed = (System.nanoTime() - start) / 1e9;
			double ownCpu = (processCpuNanos() - cpuBefore) / 1e6 / count;
			double appCpu = (appPid > 0) ? (appCpuNanos(appPid, clockTicks) - appBefore) / 1e6 / count : ownCpu;
			long[] all = latencies.stream().flatMapToLong(Arrays::stream).filter((l) -> l > 0).sorted().toArray();
			System.out.printf(java.util.Locale.ROOT,
					"RESULT way=%s callers=%d count=%d per_second=%.1f p50_ms=%.3f p99_ms=%.3f cpu_ms=%.3f "
							+ "client_cpu_ms=%.3f cosine=%.6f%n",
					way, callers, count, count / elapsed, percentile(all, 0.50) / 1e6, percentile(all, 0.99) / 1e6,
					appCpu, ownCpu, agreement);
		}
		System.exit(0);
	}

	/** The lowest cosine between this way's vectors and the floor's, over some sentences */
	private static double agreement(Embedders.Embedder embedder, List<String> sentences) throws Exception {
		double worst = 1;
		try (Embedders.Embedder floor = new Embedders.Direct(0)) {
			for (String sentence : sentences) {
				worst = Math.min(worst, cosine(floor.embed(sentence), embedder.embed(sentence)));
			}
		}
		return worst;
	}

	/**
	 * Runs the callers for a time; each records its latencies when asked. Returns the calls completed.
	 */
	private static int loop(Embedders.Embedder embedder, List<String> corpus, int callers, long millis,
			List<long[]> latencies) throws InterruptedException {
		AtomicBoolean running = new AtomicBoolean(true);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger completed = new AtomicInteger();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		CountDownLatch done = new CountDownLatch(callers);
		List<Thread> threads = new ArrayList<>();
		for (int c = 0; c < callers; c++) {
			long[] own = (latencies != null) ? new long[1 << 20] : null;
			if (own != null) {
				latencies.add(own);
			}
			Thread thread = new Thread(() -> {
				int i = 0;
				try {
					while (running.get()) {
						String sentence = corpus.get(Math.floorMod(next.getAndIncrement(), corpus.size()));
						long begin = System.nanoTime();
						embedder.embed(sentence);
						long took = System.nanoTime() - begin;
						if (running.get()) {
							completed.incrementAndGet();
							if (own != null && i < own.length) {
								own[i++] = took;
							}
						}
					}
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
					running.set(false);
				}
				finally {
					done.countDown();
				}
			}, "caller-" + c);
			threads.add(thread);
		}
		threads.forEach(Thread::start);
		// The measured window is a fixed time on purpose: this is the benchmark's clock, not a synchronisation
		Thread.sleep(millis);
		running.set(false);
		done.await();
		if (failure.get() != null) {
			throw new IllegalStateException("a call failed", failure.get());
		}
		return completed.get();
	}

	/** Sentences of 4 to 94 words from a fixed vocabulary and seed: 5 to about 120 tokens */
	static List<String> corpus(int count, long seed) {
		String[] words = ("quiet vegetarian place for a date with friendly staff and a garden terrace where the chef "
				+ "cooks seasonal dishes from local farms near the river in the old town serving pasta pizza curry "
				+ "noodles sushi wine beer coffee desserts late at night open on sundays with live music cheap "
				+ "expensive romantic noisy family children parking delivery takeaway spicy mild gluten free vegan "
				+ "reservations required walk in welcome").split(" ");
		SplittableRandom random = new SplittableRandom(seed);
		List<String> corpus = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int length = 4 + random.nextInt(91);
			StringBuilder text = new StringBuilder();
			for (int w = 0; w < length; w++) {
				text.append((w == 0) ? "" : " ").append(words[random.nextInt(words.length)]);
			}
			corpus.add(text.toString());
		}
		return corpus;
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	/** utime + stime of another process, from /proc/<pid>/stat */
	static long appCpuNanos(long pid, int clockTicks) throws java.io.IOException {
		String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
		String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return ticks * 1_000_000_000L / clockTicks;
	}

	static double percentile(long[] sorted, double p) {
		if (sorted.length == 0) {
			return 0;
		}
		return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
	}

	static double cosine(float[] a, float[] b) {
		double dot = 0;
		double na = 0;
		double nb = 0;
		for (int i = 0; i < a.length; i++) {
			dot += (double) a[i] * b[i];
			na += (double) a[i] * a[i];
			nb += (double) b[i] * b[i];
		}
		return dot / Math.sqrt(na * nb);
	}

	private static Map<String, String> options(String[] args) {
		Map<String, String> options = new LinkedHashMap<>();
		for (int i = 0; i + 1 < args.length; i += 2) {
			if (!args[i].startsWith("--")) {
				throw new IllegalArgumentException("expected an option, not " + args[i]);
			}
			options.put(args[i].substring(2), args[i + 1]);
		}
		return options;
	}

	private static String required(Map<String, String> options, String name) {
		String value = options.get(name);
		if (value == null) {
			throw new IllegalArgumentException("--" + name + " is required");
		}
		return value;
	}

}
