package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The commands the tool runs (Maven, git, wrk): one place that starts them and turns their failures into exceptions */
final class Processes {

	private Processes() {
	}

	/** Runs a command in a directory with the tool's own output, and returns its exit status */
	static int inherit(Path dir, List<String> command) {
		try {
			return new ProcessBuilder(command).directory(dir.toFile()).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** Runs a command in a directory and returns its output (standard error merged); fails if it does */
	static String output(Path dir, List<String> command) {
		try {
			Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.waitFor() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed:\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

}
