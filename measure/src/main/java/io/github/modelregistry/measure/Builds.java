package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The applications under test, built from a commit or from the working tree as it is, never taken from an earlier
 * build: the working tree is built with {@code ./mvnw package} at every run (Maven rebuilds what changed) and its jars
 * copied to {@code target/measure/jars/} under the tree's identity, so a build during the run cannot swap a jar under
 * a running application; a commit is built once in a git worktree and its jars kept by commit id (a commit does not
 * change, so its jars cannot go stale).
 */
final class Builds {

	/** The executable jar each buildable module makes */
	static final Map<String, String> JARS = Map.of("sample-app", "sample-app/target/sample-app-0.1.0-SNAPSHOT-exec.jar",
			"baseline", "baseline/target/baseline-app-0.1.0-SNAPSHOT.jar", "face-app",
			"face-app/target/face-app-0.1.0-SNAPSHOT.jar");

	/** The working tree's builds of this run, by module: one build per module and run is fresh enough */
	private static final Map<String, Build> TREE = new java.util.concurrent.ConcurrentHashMap<>();

	private final Path root;

	private final Path jars;

	Builds(Path root) {
		this.root = root;
		this.jars = root.resolve("target/measure/jars");
	}

	/**
	 * One build of some modules.
	 * @param ref the git ref asked for, or {@code .} for the working tree
	 * @param identity the commit, and whether the working tree differed from it
	 * @param jars each module's jar
	 */
	record Build(String ref, String identity, Map<String, Path> jars) {

		Path jar(String module) {
			Path jar = this.jars.get(module);
			if (jar == null) {
				throw new IllegalStateException(module + " was not built");
			}
			return jar;
		}

	}

	/** Builds the modules at a ref ({@code .} for the working tree) and returns their jars */
	Build build(String ref, List<String> modules) {
		try {
			Files.createDirectories(this.jars);
			if (ref.equals(".")) {
				String key = String.join(",", modules);
				Build built = TREE.get(key);
				if (built == null) {
					built = buildTree(modules);
					TREE.put(key, built);
				}
				return built;
			}
			return buildCommit(ref, modules);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private Build buildTree(List<String> modules) throws IOException {
		String head = git(this.root, "rev-parse", "--short=7", "HEAD").trim();
		String status = git(this.root, "status", "--porcelain", "--untracked-files=no").trim();
		String identity = status.isEmpty() ? head : head + "+" + Integer.toHexString(git(this.root, "diff", "HEAD")
			.hashCode());
		maven(this.root, modules);
		Map<String, Path> built = new LinkedHashMap<>();
		for (String module : modules) {
			Path copy = this.jars.resolve(module + "-" + identity + ".jar");
			Files.copy(this.root.resolve(JARS.get(module)), copy, StandardCopyOption.REPLACE_EXISTING);
			built.put(module, copy);
		}
		return new Build(".", status.isEmpty() ? head : head + " + the working tree's changes", built);
	}

	private Build buildCommit(String ref, List<String> modules) throws IOException {
		String commit = git(this.root, "rev-parse", "--short=7", ref + "^{commit}").trim();
		Map<String, Path> built = new LinkedHashMap<>();
		List<String> missing = new ArrayList<>();
		for (String module : modules) {
			Path jar = this.jars.resolve(module + "-" + commit + ".jar");
			built.put(module, jar);
			if (!Files.exists(jar)) {
				missing.add(module);
			}
		}
		if (!missing.isEmpty()) {
			Path tree = this.root.resolve("target/measure/trees/" + commit);
			git(this.root, "worktree", "prune");
			if (Files.exists(tree)) {
				git(this.root, "worktree", "remove", "--force", tree.toString());
			}
			git(this.root, "worktree", "add", "--detach", tree.toString(), commit);
			try {
				maven(tree, missing);
				for (String module : missing) {
					Path tmp = this.jars.resolve(module + "-" + commit + ".jar.tmp");
					Files.copy(tree.resolve(JARS.get(module)), tmp, StandardCopyOption.REPLACE_EXISTING);
					Files.move(tmp, built.get(module), StandardCopyOption.ATOMIC_MOVE);
				}
			}
			finally {
				git(this.root, "worktree", "remove", "--force", tree.toString());
			}
		}
		return new Build(ref, commit, built);
	}

	/** {@code ./mvnw package} of the modules and what they need, offline first (everything is usually in ~/.m2) */
	private static void maven(Path dir, List<String> modules) {
		maven(dir, modules, List.of());
	}

	/**
	 * {@code ./mvnw package} of the modules and what they need with more arguments (a profile), offline first
	 * (everything is usually in ~/.m2), then online.
	 */
	static void maven(Path dir, List<String> modules, List<String> more) {
		List<String> command = new ArrayList<>(List.of("./mvnw", "-q", "-B", "-o", "-pl", String.join(",", modules),
				"-am", "package", "-DskipTests"));
		command.addAll(more);
		System.out.println("measure: building " + String.join(", ", modules) + " in " + dir);
		if (run(dir, command) != 0) {
			command.remove("-o");
			System.out.println("measure: the offline build failed; building online");
			if (run(dir, command) != 0) {
				throw new IllegalStateException("the build of " + modules + " in " + dir + " failed");
			}
		}
	}

	private static int run(Path dir, List<String> command) {
		return Processes.inherit(dir, command);
	}

	static String git(Path dir, String... args) {
		List<String> command = new ArrayList<>(List.of("git"));
		command.addAll(List.of(args));
		return Processes.output(dir, command);
	}

}
