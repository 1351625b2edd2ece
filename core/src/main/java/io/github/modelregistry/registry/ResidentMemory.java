package io.github.modelregistry.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a version's load costs in native memory, measured as the issue of many models asks: the process's resident
 * memory before and after the load, with the model file's size as a floor (a runtime maps or copies at least its
 * weights; a delta below that is other memory being freed meanwhile). Native sessions are invisible to the heap, so
 * the operating system's count is the one that sees them. Loads that measure are serialised process-wide, so that
 * two loads never count each other's memory; loads are rare and seconds at most, and requests never wait here.
 * Elsewhere than Linux ({@code /proc/self/status} absent) the charge is the file size.
 */
final class ResidentMemory {

	private static final Path STATUS = Path.of("/proc/self/status");

	/**
	 * Serialises measured loads, so that each delta holds one load's memory only; the budget's check and charge of a
	 * load happen inside the same turn ({@link MemoryBudget}).
	 */
	static final Object TURN = new Object();

	private ResidentMemory() {
	}

	/**
	 * Runs a load and returns what it loaded with its charge.
	 */
	static <T> Charged<T> measure(Load<T> load, java.util.function.ToLongFunction<T> floor) throws Exception {
		synchronized (TURN) {
			long before = bytes();
			T loaded = load.run();
			long after = bytes();
			long delta = (before >= 0 && after >= 0) ? after - before : 0;
			return new Charged<>(loaded, Math.max(delta, floor.applyAsLong(loaded)));
		}
	}

	/**
	 * Returns the process's resident memory in bytes ({@code VmRSS}), or -1 if the system does not say.
	 */
	static long bytes() {
		try {
			for (String line : Files.readAllLines(STATUS)) {
				if (line.startsWith("VmRSS:")) {
					return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Not Linux, or not readable: the file size is the charge
		}
		return -1;
	}

	/**
	 * A load that may throw.
	 */
	@FunctionalInterface
	interface Load<T> {

		T run() throws Exception;

	}

	/**
	 * What a load returned and the native memory charged for it.
	 */
	record Charged<T>(T loaded, long bytes) {
	}

}
