package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An application under test: a {@code java -jar} process with its own ports and log, started and waited for until
 * its readiness URL answers 200, stopped (SIGTERM, then SIGKILL after 20 s) when closed.
 */
final class App implements AutoCloseable {

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private final String name;

	private final Process process;

	private final Load.Address address;

	private final int managementPort;

	private final Path log;

	private App(String name, Process process, Load.Address address, int managementPort, Path log) {
		this.name = name;
		this.process = process;
		this.address = address;
		this.managementPort = managementPort;
		this.log = log;
	}

	/**
	 * What to start.
	 * @param name the name reports use
	 * @param jar the executable jar
	 * @param arguments the application's arguments; {@code {http}}, {@code {management}} and {@code {grpc}} are
	 * replaced by free ports
	 * @param readyPath the path that answers 200 once the application is ready, on the management port if the
	 * arguments use one
	 * @param jvmArguments arguments for the JVM
	 */
	record Spec(String name, Path jar, List<String> arguments, String readyPath, List<String> jvmArguments) {

		Spec(String name, Path jar, List<String> arguments, String readyPath) {
			this(name, jar, arguments, readyPath, List.of());
		}

	}

	static App start(Spec spec, Path logs) {
		int http = freePort();
		int management = freePort();
		int grpc = freePort();
		boolean usesManagement = spec.arguments().stream().anyMatch((a) -> a.contains("{management}"));
		boolean usesGrpc = spec.arguments().stream().anyMatch((a) -> a.contains("{grpc}"));
		List<String> command = new ArrayList<>(List.of("java"));
		command.addAll(spec.jvmArguments());
		command.addAll(List.of("-jar", spec.jar().toString()));
		for (String argument : spec.arguments()) {
			command.add(argument.replace("{http}", Integer.toString(http))
				.replace("{management}", Integer.toString(management))
				.replace("{grpc}", Integer.toString(grpc)));
		}
		try {
			Files.createDirectories(logs);
			Path log = logs.resolve(spec.name().replaceAll("[^A-Za-z0-9.-]", "_") + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			App app = new App(spec.name(), process, new Load.Address("localhost", http, usesGrpc ? grpc : 0),
					usesManagement ? management : http, log);
			app.awaitReady(spec.readyPath(), Duration.ofSeconds(120));
			return app;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void awaitReady(String path, Duration timeout) {
		URI uri = URI.create("http://localhost:" + this.managementPort + path);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " ended before it was ready; see " + this.log);
			}
			try {
				HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return;
				}
			}
			catch (IOException ex) {
				// Not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("interrupted", ex);
			}
			pause(Duration.ofMillis(250));
		}
		close();
		throw new IllegalStateException(this.name + " was not ready after " + timeout.toSeconds() + " s; see " + this.log);
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	String name() {
		return this.name;
	}

	long pid() {
		return this.process.pid();
	}

	Load.Address address() {
		return this.address;
	}

	int managementPort() {
		return this.managementPort;
	}

	Path log() {
		return this.log;
	}

	Cpu.Sample cpu() {
		return Cpu.sample(pid());
	}

	@Override
	public void close() {
		if (!this.process.isAlive()) {
			return;
		}
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

}
