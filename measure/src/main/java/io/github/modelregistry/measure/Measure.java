package io.github.modelregistry.measure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The load tool's entry: {@code measure <subcommand> [options]}, run from the repository's root (the launcher
 * {@code measure/run} builds the tool first). Each subcommand is one end-to-end measurement; {@code smoke} runs the
 * main ones in a few seconds each, for CI.
 */
public final class Measure {

	/** The subcommands: name to experiment */
	static final Map<String, Function<Settings, Outcome>> EXPERIMENTS = new LinkedHashMap<>();

	static {
		EXPERIMENTS.put(RequestPath.NAME, RequestPath::run);
		EXPERIMENTS.put(Reloads.NAME, Reloads::run);
		EXPERIMENTS.put(Protocols.NAME, Protocols::run);
		EXPERIMENTS.put(Faces.NAME, Faces::run);
		EXPERIMENTS.put(Strategies.NAME, Strategies::run);
		EXPERIMENTS.put(Operations.NAME, Operations::run);
		EXPERIMENTS.put(Batching.NAME, Batching::run);
	}

	static final String USAGE = """
			usage: measure/run <subcommand> [options]
			subcommands:
			  request-path   the sample app against a bare WebFlux app: trivial route, V2 JSON inference, its API (the headline)
			  reloads        inference at saturation with and without a reload every second
			  protocols      JSON REST, binary REST and gRPC, and the two trivial ceilings
			  faces          the Spring MVC face against the WebFlux face and a bare Spring MVC app
			  strategies     every holder strategy end to end, side by side
			  operations     app CPU per call of health, models, a wrong password and a reload (several --ref: before/after)
			  batching       dynamic batching off and on, 1,000 clients over HTTP, the sample model and a 5 ms one
			  grpc-attacks   what hostile gRPC messages cost the sample app (--ref before --ref after; --seconds per window)
			  slice-startup  the @ModelRegistryTest slice's start-up against Boot's @JsonTest, fresh JVMs (about 20 s a round)
			  footprint      shipped size, jars, start-up, idle memory and ports of the sample app, a gRPC-only service
			                 and an in-process job, per --ref (e.g. --ref d6a9710 --ref .; about 1 min a round)
			  text-peers     all-MiniLM-L6-v2 by hand, through LangChain4j, the registry in process and over REST and
			                 gRPC, at 1, 8 and 64 callers (--rounds 3: about 25 minutes)
			  gatling SIM... [-Dname=value...]   Gatling simulations against a sample app the tool starts
			  smoke          request-path, reloads and protocols for a few seconds each, then two Gatling simulations;
			                 nothing published (CI)
			options:
			  --rounds N          rounds, the variants taking turns in each (5)
			  --seconds S         recorded seconds per run (10)
			  --in-flight N       requests outstanding at all times (32)
			  --driver D          auto (wrk for REST where installed), wrk or java (the tool's own); protocols: java
			  --ref REF           git ref of the app under test, '.' for the working tree (.); request-path takes several
			  --strategy S        the sample app's holder strategy (sharded-rcu)
			  --warm-up-chunk S   seconds per warm-up chunk (10)
			  --warm-up-most N    most warm-up chunks (15)
			  --publish, --no-publish   write docs/results/<subcommand>.md and .tsv (default: when rounds >= 5)
			  --fresh-processes   start and warm up every application afresh in every round (slower; averages one
			                      JVM's luck over the rounds, about 15 % between two processes of one build here)
			""";

	private Measure() {
	}

	public static void main(String[] args) {
		// No SLF4J provider on the class path (Reactor Netty logs through it): no warning about that either
		if (System.getProperty("slf4j.internal.verbosity") == null) {
			System.setProperty("slf4j.internal.verbosity", "ERROR");
		}
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("help")) {
			System.out.print(USAGE);
			System.exit(args.length == 0 ? 2 : 0);
		}
		Path root = Path.of("").toAbsolutePath();
		if (!Files.exists(root.resolve("mvnw")) || !Files.isDirectory(root.resolve("sample-app"))) {
			System.err.println("measure: run me from the repository's root (measure/run does)");
			System.exit(2);
		}
		String subcommand = args[0];
		List<String> rest = Arrays.asList(args).subList(1, args.length);
		// The gatling subcommand's simulations and -D properties are Gatling's; the options are the tool's
		List<String> gatling = rest.stream().filter((a) -> !a.startsWith("--") && !isValue(rest, a)).toList();
		Settings settings;
		try {
			settings = Settings.parse(root, subcommand.equals(GatlingRun.NAME)
					? rest.stream().filter((a) -> !gatling.contains(a)).toList() : rest);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("measure: " + ex.getMessage());
			System.err.print(USAGE);
			System.exit(2);
			return;
		}
		try {
			if (subcommand.equals("smoke")) {
				smoke(settings);
			}
			else if (subcommand.equals(SliceStartup.NAME)) {
				SliceStartup.run(settings);
			}
			else if (subcommand.equals(TextPeersRun.NAME)) {
				TextPeersRun.run(settings);
			}
			else if (subcommand.equals(Footprint.NAME)) {
				Footprint.run(settings);
			}
			else if (subcommand.equals(GrpcAttacks.NAME)) {
				GrpcAttacks.run(settings);
			}
			else if (subcommand.equals(GatlingRun.NAME)) {
				GatlingRun.run(settings, gatling.stream().filter((a) -> !a.startsWith("-D")).toList(),
						gatling.stream().filter((a) -> a.startsWith("-D")).toList());
			}
			else if (EXPERIMENTS.containsKey(subcommand)) {
				Outcome outcome = EXPERIMENTS.get(subcommand).apply(settings);
				Publication.write(settings, outcome, subcommand.equals(RequestPath.NAME));
			}
			else {
				System.err.println("measure: unknown subcommand " + subcommand);
				System.err.print(USAGE);
				System.exit(2);
			}
		}
		catch (RuntimeException ex) {
			System.err.println("measure: FAILED: " + ex.getMessage());
			System.exit(1);
		}
		System.exit(0);
	}

	/** The main experiments with the quick settings: every part of the tool runs against the real apps, briefly */
	static void smoke(Settings settings) {
		Settings quick = settings.quick();
		for (String name : List.of(RequestPath.NAME, Reloads.NAME, Protocols.NAME)) {
			Outcome outcome = EXPERIMENTS.get(name).apply(quick);
			if (outcome.runs().isEmpty()) {
				throw new IllegalStateException(name + " measured nothing");
			}
			Publication.write(quick, outcome, false);
		}
		// The load-test examples users copy: a short open-model run and reloads under load, Gatling's assertions on
		GatlingRun.run(quick, List.of("InferenceSimulation"), List.of("-Drate=50", "-DdurationSeconds=10"));
		GatlingRun.run(quick, List.of("ReloadUnderLoadSimulation"), List.of("-Drate=50", "-DdurationSeconds=15"));
		System.out.println("measure: smoke passed");
	}

	/** Whether an argument is the value of the option before it ({@code --rounds 3}: 3 is) */
	private static boolean isValue(List<String> args, String arg) {
		int i = args.indexOf(arg);
		return i > 0 && args.get(i - 1).startsWith("--") && !args.get(i - 1).equals("--publish")
				&& !args.get(i - 1).equals("--no-publish") && !args.get(i - 1).equals("--fresh-processes");
	}

}
