package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * {@code footprint}: what each kind of service costs, for each {@code --ref} (typically a before and an after). Three
 * applications per build: the sample app (REST, gRPC, Actuator, protection), a gRPC-only Spring Boot service and an
 * in-process job (a plain Java {@code main}), the last two written from the templates in {@code measure/footprint/}
 * against the build's own artifacts. Per application: the size of what it ships (the executable jar, or the job's
 * class path), the jars in it, the process time until it answers (Spring Boot's "process running for", or the job's
 * first inference), the TCP ports it listens on, and its resident memory after 10 s idle.
 *
 * <p>Each build installs into a Maven repository of its own (hard links to {@code ~/.m2} without this project's
 * artifacts), so that two builds of the same version do not overwrite each other and the user's repository is left
 * alone. A ref older than the module split (no {@code starter-grpc} module) gets the one-jar layout's dependencies.
 * The rounds alternate which build goes first; same JVM flags for all (the defaults), the sample's model from disk.
 */
final class Footprint {

	static final String NAME = "footprint";

	static final List<String> APPS = List.of("sample-app", "grpc-service", "job");

	/** Idle time before resident memory is read */
	static final Duration IDLE = Duration.ofSeconds(10);

	private static final Pattern BOOT_STARTED = Pattern.compile("process running for ([0-9.]+)\\)");

	private static final Pattern JOB_ANSWERED = Pattern.compile("answered after ([0-9]+) ms of process time");

	private Footprint() {
	}

	/** One build's three applications, ready to start */
	record Built(String ref, String identity, Path sampleApp, Path grpcService, Path jobClasses, List<Path> jobLibs) {

		/** Bytes and jars of what an application ships */
		long[] shipped(String app) {
			return switch (app) {
				case "sample-app" -> new long[] { size(this.sampleApp), bootJars(this.sampleApp) };
				case "grpc-service" -> new long[] { size(this.grpcService), bootJars(this.grpcService) };
				default -> new long[] { this.jobLibs.stream().mapToLong(Footprint::size).sum() + jarSize(this.jobClasses),
						this.jobLibs.size() + 1 };
			};
		}

	}

	/** One run of one application */
	record Sample(long startupMillis, long residentKb, int listeningPorts) {
	}

	static void run(Settings settings) {
		Path root = settings.root();
		Path work = root.resolve("target/measure/" + NAME);
		List<Built> builds = new ArrayList<>();
		for (String ref : settings.refs()) {
			builds.add(build(root, work, ref));
		}
		Path models = root.resolve("sample-app/src/main/resources/models");
		List<String> lines = new ArrayList<>(
				List.of("round\tbuild\tapp\tshipped_bytes\tjars\tstartup_ms\trss_kb\tlistening_ports"));
		Map<String, List<Sample>> samples = new LinkedHashMap<>();
		for (int round = 1; round <= settings.rounds(); round++) {
			for (String app : APPS) {
				for (Built built : Subjects.rotated(builds, round)) {
					long[] shipped = built.shipped(app);
					Sample sample = start(built, app, models, work.resolve("logs"));
					samples.computeIfAbsent(app + "\t" + built.ref(), (k) -> new ArrayList<>()).add(sample);
					String line = round + "\t" + built.ref() + "\t" + app + "\t" + shipped[0] + "\t" + shipped[1] + "\t"
							+ sample.startupMillis() + "\t" + sample.residentKb() + "\t" + sample.listeningPorts();
					lines.add(line);
					System.out.println(line);
				}
			}
		}
		Publication.writeTable(root, NAME, lines, report(settings, builds, samples), settings.publishes());
	}

	static String report(Settings settings, List<Built> builds, Map<String, List<Sample>> samples) {
		StringBuilder report = new StringBuilder("# What each kind of service costs\n\n");
		report.append("`measure/run footprint ").append(String.join(" ", settings.arguments())).append("`, on ")
			.append(Machine.describe()).append(".\n\nBuilds: ");
		report.append(String.join(", ", builds.stream().map((b) -> "`" + b.ref() + "` (" + b.identity() + ")").toList()));
		report.append(". Medians of ").append(settings.rounds())
			.append((settings.rounds() == 1) ? " round" : " rounds")
			.append(" [min–max]; the builds take turns going "
				+ "first; start-up is Spring Boot's \"process running for\" (the job: its first inference), resident "
				+ "memory is read ")
			.append(IDLE.toSeconds())
			.append(" s after the application answered. Shipped: the executable jar, or the job's class path.\n\n");
		report.append("| app | build | shipped MB | jars | start-up ms | resident MB at idle | listening TCP ports |\n");
		report.append("|---|---|---|---|---|---|---|\n");
		for (String app : APPS) {
			for (Built built : builds) {
				List<Sample> runs = samples.get(app + "\t" + built.ref());
				long[] shipped = built.shipped(app);
				Summary startup = Summary.of(runs.stream().map((s) -> (double) s.startupMillis()).toList());
				Summary resident = Summary.of(runs.stream().map((s) -> s.residentKb() / 1024.0).toList());
				Summary ports = Summary.of(runs.stream().map((s) -> (double) s.listeningPorts()).toList());
				report.append(String.format("| %s | %s | %.1f | %d | %s | %s | %s |%n", app, built.ref(),
						shipped[0] / 1048576.0, shipped[1], startup.format(0), resident.format(0), ports.format(0)));
			}
		}
		report.append("\nRaw figures: [`footprint.tsv`](footprint.tsv) (one line per run: round, build, app, shipped "
				+ "bytes, jars, start-up ms, resident KB, listening TCP ports).\n");
		return report.toString();
	}

	/** Installs a ref's modules into a repository of its own and builds the gRPC-only service and the job against it */
	static Built build(Path root, Path work, String ref) {
		try {
			String identity = ref.equals(".") ? "tree" : Builds.git(root, "rev-parse", "--short=7", ref + "^{commit}").trim();
			Path dir = work.resolve("builds/" + identity);
			Path repository = dir.resolve("m2");
			if (!Files.exists(repository)) {
				Files.createDirectories(dir);
				// Hard links: a copy of ~/.m2 that costs no space, minus this project's artifacts
				Processes.output(root, List.of("cp", "-al", Path.of(System.getProperty("user.home"), ".m2/repository")
					+ "/.", repository.toString()));
			}
			deleteTree(repository.resolve("io/github/modelregistry"));
			Path source = root;
			Path tree = dir.resolve("src");
			if (!ref.equals(".")) {
				Builds.git(root, "worktree", "prune");
				if (Files.exists(tree)) {
					Builds.git(root, "worktree", "remove", "--force", tree.toString());
				}
				Builds.git(root, "worktree", "add", "--detach", tree.toString(), identity);
				source = tree;
			}
			try {
				boolean split = Files.isDirectory(source.resolve("starter-grpc"));
				System.out.println("measure: installing " + ref + " into " + repository);
				maven(source, repository, List.of("install", "-DskipTests", "-pl",
						split ? "sample-app,starter-grpc" : "sample-app", "-am"));
				String description = ref.equals(".") ? Builds.git(root, "rev-parse", "--short=7", "HEAD").trim()
						+ (Builds.git(root, "status", "--porcelain", "--untracked-files=no").isBlank() ? ""
								: " + the working tree's changes")
						: identity;
				Path sampleApp = dir.resolve("sample-app.jar");
				Files.copy(source.resolve(Builds.JARS.get("sample-app")), sampleApp,
						java.nio.file.StandardCopyOption.REPLACE_EXISTING);
				for (String app : List.of("job", "grpc-service")) {
					Path project = dir.resolve(app);
					deleteTree(project);
					copyTree(root.resolve("measure/footprint/" + app), project);
					String template = Files.readString(project.resolve("pom.xml.in"));
					Files.writeString(project.resolve("pom.xml"), template.replace("@DEPENDENCIES@",
							dependencies(app, split)));
					Files.delete(project.resolve("pom.xml.in"));
					if (!split && app.equals("job")) {
						// The one-jar layout's builder took the loader under another name
						Path job = project.resolve("src/main/java/footprint/Job.java");
						Files.writeString(job, Files.readString(job).replace(
								".modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT)) // @LOADER@",
								".onnx(new OnnxModelLoader(OnnxSessionSettings.DEFAULT))"));
					}
				}
				maven(dir.resolve("grpc-service"), repository, List.of("package"));
				maven(dir.resolve("job"), repository, List.of("package", "dependency:copy-dependencies",
						"-DincludeScope=runtime", "-DoutputDirectory=target/lib"));
				Path grpcService;
				try (Stream<Path> jars = Files.list(dir.resolve("grpc-service/target"))) {
					grpcService = jars.filter((p) -> p.getFileName().toString().matches("footprint-grpc-service-.*\\.jar"))
						.findFirst()
						.orElseThrow(() -> new IllegalStateException("the gRPC-only service's jar was not built"));
				}
				List<Path> libs;
				try (Stream<Path> jars = Files.list(dir.resolve("job/target/lib"))) {
					libs = jars.sorted().toList();
				}
				return new Built(ref, description, sampleApp, grpcService, dir.resolve("job/target/classes"), libs);
			}
			finally {
				if (!ref.equals(".")) {
					Builds.git(root, "worktree", "remove", "--force", tree.toString());
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String dependencies(String app, boolean split) {
		List<String> artifacts;
		if (app.equals("job")) {
			artifacts = split
					? List.of("io.github.modelregistry:model-registry-core", "io.github.modelregistry:model-registry-onnx")
					// The one-jar layout: the registry came with Spring Boot's auto-configuration, ONNX Runtime optional
					: List.of("io.github.modelregistry:model-registry-spring-boot", "com.microsoft.onnxruntime:onnxruntime");
		}
		else {
			artifacts = split ? List.of("io.github.modelregistry:model-registry-spring-boot-starter-grpc")
					: List.of("io.github.modelregistry:model-registry-spring-boot-starter",
							"org.springframework.boot:spring-boot-starter-grpc-server");
		}
		StringBuilder xml = new StringBuilder();
		for (String artifact : artifacts) {
			String[] parts = artifact.split(":");
			xml.append("\t\t<dependency>\n\t\t\t<groupId>").append(parts[0]).append("</groupId>\n\t\t\t<artifactId>")
				.append(parts[1]).append("</artifactId>\n\t\t</dependency>\n");
		}
		return xml.toString();
	}

	/** Starts one application, waits for its start-up line, lets it idle, reads its memory and ports, stops it */
	static Sample start(Built built, String app, Path models, Path logs) {
		List<String> command = new ArrayList<>(List.of("java"));
		switch (app) {
			case "sample-app" -> command.addAll(List.of("-jar", built.sampleApp().toString(), "--server.port=0",
					"--management.server.port=0", "--spring.grpc.server.port=0",
					"--spring.security.user.password=footprint"));
			case "grpc-service" -> command.addAll(List.of("-jar", built.grpcService().toString(), "--server.port=0",
					"--spring.grpc.server.port=0", "--model-registry.base-path=file:" + models,
					"--model-registry.models.restaurant-ranker.load=eager"));
			default -> command.addAll(List.of("-cp", built.jobClasses() + ":" + built.jobClasses().resolveSibling("lib")
					+ "/*", "footprint.Job", models.toString()));
		}
		try {
			Files.createDirectories(logs);
			Path log = logs.resolve(app + "-" + built.ref().replaceAll("[^A-Za-z0-9.-]", "_") + ".log");
			Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
			try {
				long startup = awaitStartup(process, log, Duration.ofSeconds(120));
				// Idle for a fixed time on purpose: what is measured is the memory of an application at rest
				App.pause(IDLE);
				if (!process.isAlive()) {
					throw new IllegalStateException(app + " (" + built.ref() + ") ended while idle; see " + log);
				}
				return new Sample(startup, residentKb(process.pid()), listeningPorts(process.pid()));
			}
			finally {
				process.destroy();
				if (!process.waitFor(20, TimeUnit.SECONDS)) {
					process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
	}

	/** The process time until the application said it was up, from its own log line */
	static long awaitStartup(Process process, Path log, Duration timeout) throws IOException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			Long startup = startupMillis(Files.readString(log, StandardCharsets.UTF_8));
			if (startup != null) {
				return startup;
			}
			if (!process.isAlive()) {
				throw new IllegalStateException("ended before it was up; see " + log);
			}
			App.pause(Duration.ofMillis(100));
		}
		throw new IllegalStateException("not up after " + timeout.toSeconds() + " s; see " + log);
	}

	/** Spring Boot's "process running for N)" in seconds, or the job's "answered after N ms", in milliseconds */
	static Long startupMillis(String log) {
		Matcher boot = BOOT_STARTED.matcher(log);
		if (boot.find()) {
			return Math.round(Double.parseDouble(boot.group(1)) * 1000);
		}
		Matcher job = JOB_ANSWERED.matcher(log);
		return job.find() ? Long.parseLong(job.group(1)) : null;
	}

	static long residentKb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		throw new IllegalStateException("no VmRSS for " + pid);
	}

	/**
	 * The TCP sockets in LISTEN state that the process holds: its socket inodes ({@code /proc/<pid>/fd}) matched
	 * against {@code /proc/net/tcp} and {@code tcp6} (state 0A), which is what {@code ss -ltnp} reports.
	 */
	static int listeningPorts(long pid) throws IOException {
		java.util.Set<String> inodes = new java.util.HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
			for (Path fd : (Iterable<Path>) fds::iterator) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						inodes.add(target.substring(8, target.length() - 1));
					}
				}
				catch (IOException ex) {
					// Closed meanwhile
				}
			}
		}
		int listening = 0;
		for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
			Path path = Path.of(table);
			if (Files.exists(path)) {
				listening += listening(Files.readAllLines(path), inodes);
			}
		}
		return listening;
	}

	/** The LISTEN rows of a {@code /proc/net/tcp} table whose inode is one of the given */
	static int listening(List<String> table, java.util.Set<String> inodes) {
		int count = 0;
		for (String row : table.subList(Math.min(1, table.size()), table.size())) {
			String[] fields = row.trim().split("\\s+");
			if (fields.length > 9 && fields[3].equals("0A") && inodes.contains(fields[9])) {
				count++;
			}
		}
		return count;
	}

	static long size(Path file) {
		try {
			return Files.size(file);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** What a folder of classes weighs as a jar: its files' bytes (the script took the job's jar; close enough) */
	static long jarSize(Path classes) {
		Path jar = classes.getParent();
		try (Stream<Path> files = Files.list(jar)) {
			return files.filter((p) -> p.getFileName().toString().matches("footprint-job-.*\\.jar"))
				.mapToLong(Footprint::size)
				.sum();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static long bootJars(Path jar) {
		try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
			return zip.stream().filter((e) -> e.getName().startsWith("BOOT-INF/lib/") && e.getName().endsWith(".jar"))
				.count();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void maven(Path dir, Path repository, List<String> goals) {
		List<String> command = new ArrayList<>(List.of(dir.resolve("mvnw").toFile().exists() ? "./mvnw"
				: Path.of("").toAbsolutePath().resolve("mvnw").toString(), "-q", "-B", "-o",
				"-Dmaven.repo.local=" + repository));
		command.addAll(goals);
		if (Processes.inherit(dir, command) != 0) {
			throw new IllegalStateException("the build in " + dir + " failed: " + String.join(" ", command));
		}
	}

	static void deleteTree(Path dir) throws IOException {
		if (!Files.exists(dir)) {
			return;
		}
		try (Stream<Path> paths = Files.walk(dir)) {
			for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
				Files.delete(path);
			}
		}
	}

	static void copyTree(Path from, Path to) throws IOException {
		try (Stream<Path> paths = Files.walk(from)) {
			for (Path path : paths.toList()) {
				Path target = to.resolve(from.relativize(path).toString());
				if (Files.isDirectory(path)) {
					Files.createDirectories(target);
				}
				else {
					Files.copy(path, target);
				}
			}
		}
	}

}
