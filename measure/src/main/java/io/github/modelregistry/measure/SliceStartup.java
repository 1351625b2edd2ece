package io.github.modelregistry.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code slice-startup}: how long the {@code @ModelRegistryTest} slice takes to start its context in a fresh JVM,
 * against Spring Boot's own {@code @JsonTest} on the same class path. Each round runs one test class of each kind in
 * its own surefire JVM, taking turns, and reads Spring's "Started ... in N seconds" line.
 */
final class SliceStartup {

	static final String NAME = "slice-startup";

	static final List<String> CLASSES = List.of("StubStrategiesSliceTests", "InferenceProtectionSliceTests",
			"BootJsonSliceTests");

	private SliceStartup() {
	}

	static void run(Settings settings) {
		Path root = settings.root();
		maven(root, List.of("./mvnw", "-B", "-q", "-pl", "model-registry-test", "-am", "-DskipTests", "install"));
		Map<String, List<Double>> seconds = new LinkedHashMap<>();
		List<String> lines = new ArrayList<>(List.of("round\tclass\tseconds"));
		for (int round = 1; round <= settings.rounds(); round++) {
			for (String test : Subjects.rotated(CLASSES, round)) {
				String output = maven(root, List.of("./mvnw", "-B", "-o", "-q", "-pl", "model-registry-test",
						"surefire:test", "-Dtest=" + test, "-Dsurefire.failIfNoSpecifiedTests=false"));
				Matcher started = Pattern.compile("Started " + test + " in ([0-9.]+) seconds").matcher(output);
				if (!started.find()) {
					throw new IllegalStateException("no start-up line for " + test + ":\n" + output);
				}
				double s = Double.parseDouble(started.group(1));
				seconds.computeIfAbsent(test, (k) -> new ArrayList<>()).add(s);
				lines.add(round + "\t" + test + "\t" + s);
				System.out.printf("round %d, %s: %.3f s%n", round, test, s);
			}
		}
		StringBuilder report = new StringBuilder("# The test slice's start-up against Boot's @JsonTest\n\n");
		report.append("`measure/run slice-startup ").append(String.join(" ", settings.arguments())).append("`, on ")
			.append(Machine.describe()).append("; ").append(settings.rounds()).append(" rounds, each class in its own "
					+ "surefire JVM, taking turns; Spring's \"Started ... in\" line.\n\n| test class | seconds |\n|---|---|\n");
		seconds.forEach((test, values) -> report.append("| ").append(test).append(" | ")
			.append(Summary.of(values).format(2)).append(" |\n"));
		Publication.writeTable(root, NAME, lines, report.toString(), settings.publishes());
	}

	private static String maven(Path root, List<String> command) {
		return Processes.output(root, command);
	}

}
