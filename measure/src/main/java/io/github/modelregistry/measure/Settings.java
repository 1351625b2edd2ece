package io.github.modelregistry.measure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The options every subcommand shares, parsed from {@code --name value} pairs.
 *
 * @param root the repository's root (the working directory)
 * @param rounds rounds; in each, the variants take turns, the first rotating by round
 * @param seconds recorded time of one run
 * @param lead unrecorded time before each run (connections opened)
 * @param inFlight requests outstanding at all times
 * @param driver {@code auto} (wrk for REST where installed), {@code wrk} or {@code java}
 * @param refs git refs of the sample app to measure ({@code .} for the working tree)
 * @param strategy the sample app's holder strategy
 * @param warmUpChunk length of one warm-up chunk
 * @param warmUpMost most warm-up chunks
 * @param publish whether to write the report into {@code docs/results/} ({@code null}: when rounds ≥ 5)
 * @param freshProcesses whether every round starts (and warms up) every application afresh, so that one JVM's luck
 * (JIT decisions, memory layout: about 15 % between two processes of one build here) is averaged over the rounds
 * @param arguments the command line as given, for the report
 */
record Settings(Path root, int rounds, Duration seconds, Duration lead, int inFlight, String driver, List<String> refs,
		String strategy, Duration warmUpChunk, int warmUpMost, Boolean publish, boolean freshProcesses,
		List<String> arguments) {

	/** Rounds from which a run is published by default (the project's rule: medians of at least 5 rounds) */
	static final int PUBLISHED_ROUNDS = 5;

	static Settings defaults(Path root) {
		return parse(root, List.of());
	}

	/** The smoke mode's settings: one round of 2 s runs, one warm-up chunk, the tool's own driver, nothing published */
	Settings quick() {
		return new Settings(this.root, 1, Duration.ofSeconds(2), Duration.ofSeconds(1), this.inFlight, "java", this.refs,
				this.strategy, Duration.ofSeconds(2), 1, false, false, this.arguments);
	}

	boolean publishes() {
		return (this.publish != null) ? this.publish : this.rounds >= PUBLISHED_ROUNDS;
	}

	static Settings parse(Path root, List<String> args) {
		int rounds = PUBLISHED_ROUNDS;
		int seconds = 10;
		int inFlight = 32;
		String driver = "auto";
		List<String> refs = new ArrayList<>();
		String strategy = "sharded-rcu";
		int warmUpChunk = 10;
		int warmUpMost = 15;
		Boolean publish = null;
		boolean fresh = false;
		for (int i = 0; i < args.size(); i++) {
			String name = args.get(i);
			switch (name) {
				case "--publish" -> publish = true;
				case "--no-publish" -> publish = false;
				case "--fresh-processes" -> fresh = true;
				default -> {
					if (i + 1 >= args.size()) {
						throw new IllegalArgumentException("no value for " + name);
					}
					String value = args.get(++i);
					switch (name) {
						case "--rounds" -> rounds = positive(name, value);
						case "--seconds" -> seconds = positive(name, value);
						case "--in-flight" -> inFlight = positive(name, value);
						case "--driver" -> driver = value;
						case "--strategy" -> strategy = value;
						case "--warm-up-chunk" -> warmUpChunk = positive(name, value);
						case "--warm-up-most" -> warmUpMost = positive(name, value);
						case "--ref" -> refs.add(value);
						default -> throw new IllegalArgumentException("unknown option " + name);
					}
				}
			}
		}
		return new Settings(root, rounds, Duration.ofSeconds(seconds), Duration.ofSeconds(2), inFlight, driver,
				refs.isEmpty() ? List.of(".") : List.copyOf(refs), strategy, Duration.ofSeconds(warmUpChunk), warmUpMost,
				publish, fresh, List.copyOf(args));
	}

	private static int positive(String name, String value) {
		try {
			int number = Integer.parseInt(value);
			if (number <= 0) {
				throw new IllegalArgumentException(name + " must be positive, not " + value);
			}
			return number;
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException(name + " must be a number, not " + value);
		}
	}

}
