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
 * @param arguments the command line as given, for the report
 */
record Settings(Path root, int rounds, Duration seconds, Duration lead, int inFlight, String driver, List<String> refs,
		String strategy, Duration warmUpChunk, int warmUpMost, Boolean publish, List<String> arguments) {

	/** Rounds from which a run is published by default (the project's rule: medians of at least 5 rounds) */
	static final int PUBLISHED_ROUNDS = 5;

	static Settings defaults(Path root) {
		return new Settings(root, PUBLISHED_ROUNDS, Duration.ofSeconds(10), Duration.ofSeconds(2), 32, "auto",
				List.of("."), "sharded-rcu", Duration.ofSeconds(10), 15, null, List.of());
	}

	/** The smoke mode's settings: one round of 2 s runs, one warm-up chunk, the tool's own driver, nothing published */
	Settings quick() {
		return new Settings(this.root, 1, Duration.ofSeconds(2), Duration.ofSeconds(1), this.inFlight, "java", this.refs,
				this.strategy, Duration.ofSeconds(2), 1, false, this.arguments);
	}

	boolean publishes() {
		return (this.publish != null) ? this.publish : this.rounds >= PUBLISHED_ROUNDS;
	}

	static Settings parse(Path root, List<String> args) {
		Settings s = defaults(root);
		List<String> refs = new ArrayList<>();
		for (int i = 0; i < args.size(); i++) {
			String name = args.get(i);
			if (name.equals("--publish") || name.equals("--no-publish")) {
				s = new Settings(s.root, s.rounds, s.seconds, s.lead, s.inFlight, s.driver, s.refs, s.strategy,
						s.warmUpChunk, s.warmUpMost, name.equals("--publish"), s.arguments);
				continue;
			}
			if (i + 1 >= args.size()) {
				throw new IllegalArgumentException("no value for " + name);
			}
			String value = args.get(++i);
			s = switch (name) {
				case "--rounds" -> new Settings(s.root, positive(name, value), s.seconds, s.lead, s.inFlight, s.driver,
						s.refs, s.strategy, s.warmUpChunk, s.warmUpMost, s.publish, s.arguments);
				case "--seconds" -> new Settings(s.root, s.rounds, Duration.ofSeconds(positive(name, value)), s.lead,
						s.inFlight, s.driver, s.refs, s.strategy, s.warmUpChunk, s.warmUpMost, s.publish, s.arguments);
				case "--in-flight" -> new Settings(s.root, s.rounds, s.seconds, s.lead, positive(name, value), s.driver,
						s.refs, s.strategy, s.warmUpChunk, s.warmUpMost, s.publish, s.arguments);
				case "--driver" -> new Settings(s.root, s.rounds, s.seconds, s.lead, s.inFlight, value, s.refs,
						s.strategy, s.warmUpChunk, s.warmUpMost, s.publish, s.arguments);
				case "--strategy" -> new Settings(s.root, s.rounds, s.seconds, s.lead, s.inFlight, s.driver, s.refs,
						value, s.warmUpChunk, s.warmUpMost, s.publish, s.arguments);
				case "--warm-up-chunk" -> new Settings(s.root, s.rounds, s.seconds, s.lead, s.inFlight, s.driver, s.refs,
						s.strategy, Duration.ofSeconds(positive(name, value)), s.warmUpMost, s.publish, s.arguments);
				case "--warm-up-most" -> new Settings(s.root, s.rounds, s.seconds, s.lead, s.inFlight, s.driver, s.refs,
						s.strategy, s.warmUpChunk, positive(name, value), s.publish, s.arguments);
				case "--ref" -> {
					refs.add(value);
					yield s;
				}
				default -> throw new IllegalArgumentException("unknown option " + name);
			};
		}
		return new Settings(s.root, s.rounds, s.seconds, s.lead, s.inFlight, s.driver,
				refs.isEmpty() ? s.refs : List.copyOf(refs), s.strategy, s.warmUpChunk, s.warmUpMost, s.publish,
				List.copyOf(args));
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
