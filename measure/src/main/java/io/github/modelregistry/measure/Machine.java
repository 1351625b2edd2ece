package io.github.modelregistry.measure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The machine a run was on, for the reports: cores, CPU model, memory, Java */
final class Machine {

	private Machine() {
	}

	static String describe() {
		String model = "unknown CPU";
		long memoryKb = 0;
		try {
			for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
				if (line.startsWith("model name")) {
					model = line.substring(line.indexOf(':') + 1).trim();
					break;
				}
			}
			for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
				if (line.startsWith("MemTotal:")) {
					memoryKb = Long.parseLong(line.replaceAll("[^0-9]", ""));
				}
			}
		}
		catch (IOException | NumberFormatException ex) {
			// Described as unknown
		}
		return String.format(Locale.ROOT, "%d cores (%s), %.0f GiB, Java %s", Runtime.getRuntime().availableProcessors(),
				model, memoryKb / 1048576.0, System.getProperty("java.runtime.version"));
	}

}
