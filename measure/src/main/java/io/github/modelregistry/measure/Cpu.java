package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * An application's CPU time, per thread group, from Linux's {@code /proc/<pid>/task/<tid>/stat}: user plus system
 * time in clock ticks (fields 14 and 15). A sample holds every thread's ticks; the difference of two samples is
 * taken thread by thread, so a thread that started between them counts from zero and one that ended is left out
 * (its last ticks are lost: the JVM's threads live as long as the application here).
 *
 * <p>Threads are grouped by name ({@link #GROUPS}): the server's I/O threads, the registry's inference pool, Reactor's
 * schedulers, the collector, the JIT compiler, the rest. The JIT group is also how {@link WarmUp} knows the JIT has
 * settled, without {@code jstat}.
 */
final class Cpu {

	/** The groups, in the order reports print them */
	static final List<String> GROUPS = List.of("http", "inference", "schedulers", "gc", "jit", "other");

	private static final long TICKS_PER_SECOND = ticksPerSecond();

	private Cpu() {
	}

	/** Clock ticks per second ({@code getconf CLK_TCK}; 100 on every Linux this runs on if that fails) */
	static long ticksPerSecond() {
		try {
			Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
			String out = new String(getconf.getInputStream().readAllBytes()).trim();
			return (getconf.waitFor() == 0) ? Long.parseLong(out) : 100;
		}
		catch (IOException | NumberFormatException ex) {
			return 100;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return 100;
		}
	}

	/** Microseconds per clock tick */
	static double microsPerTick() {
		return 1_000_000.0 / TICKS_PER_SECOND;
	}

	/** The group of a thread, by its name as {@code /proc} gives it (at most 15 characters) */
	static String group(String name) {
		if (name.startsWith("reactor-http") || name.startsWith("http-nio") || name.startsWith("grpc-")
				|| name.startsWith("nioEventLoop") || name.startsWith("epollEventLoop")) {
			return "http";
		}
		if (name.startsWith("model-inference") || name.startsWith("model-batch")) {
			return "inference";
		}
		if (name.startsWith("parallel-") || name.startsWith("boundedElastic")) {
			return "schedulers";
		}
		if (name.startsWith("GC ") || name.startsWith("G1 ")) {
			return "gc";
		}
		if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
			return "jit";
		}
		return "other";
	}

	/** Every thread's group and ticks at one moment */
	static Sample sample(long pid) {
		Map<Long, Ticks> threads = new HashMap<>();
		Path tasks = Path.of("/proc", Long.toString(pid), "task");
		try (Stream<Path> list = Files.list(tasks)) {
			for (Path task : list.toList()) {
				try {
					Ticks ticks = parse(Files.readString(task.resolve("stat")));
					threads.put(Long.parseLong(task.getFileName().toString()), ticks);
				}
				catch (NoSuchFileException ex) {
					// The thread ended since the listing
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("cannot read " + tasks + " (has the application ended?)", ex);
		}
		return new Sample(threads);
	}

	/**
	 * One line of {@code stat}: the name is field 2, in parentheses and possibly with spaces or parentheses of its
	 * own, so the fields are counted from the last ')'.
	 */
	static Ticks parse(String stat) {
		int open = stat.indexOf('(');
		int close = stat.lastIndexOf(')');
		if (open < 0 || close < open) {
			throw new IllegalArgumentException("not a stat line: " + stat);
		}
		String name = stat.substring(open + 1, close);
		String[] fields = stat.substring(close + 2).trim().split(" +");
		// fields[0] is field 3 (state): utime is field 14, stime field 15
		long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
		return new Ticks(group(name), ticks);
	}

	/**
	 * A thread's group and ticks.
	 * @param group its group
	 * @param ticks user plus system time so far
	 */
	record Ticks(String group, long ticks) {
	}

	/**
	 * Every thread's ticks at one moment, by thread id.
	 * @param threads ticks by thread id
	 */
	record Sample(Map<Long, Ticks> threads) {

		/** No thread: the difference from it is every thread's ticks so far */
		static final Sample EMPTY = new Sample(Map.of());

		/** Ticks by group (every group of {@link #GROUPS}, in order) from {@code before} to this sample */
		Map<String, Long> since(Sample before) {
			Map<String, Long> groups = new LinkedHashMap<>();
			GROUPS.forEach((group) -> groups.put(group, 0L));
			this.threads.forEach((id, now) -> {
				Ticks then = before.threads.get(id);
				long spent = now.ticks - ((then != null) ? then.ticks : 0);
				groups.merge(now.group, spent, Long::sum);
			});
			return groups;
		}

	}

}
