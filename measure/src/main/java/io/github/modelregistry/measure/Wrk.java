package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (<a href="https://github.com/wg/wrk">github.com/wg/wrk</a>), a load generator in C: one thread, {@code -c}
 * connections each keeping one request outstanding, {@code --latency} for its percentiles. A POST's body is read by
 * a Lua script from a file, so binary bodies go as they are. Its output is parsed ({@link #parse}); a run with a
 * non-2xx answer or a socket error counts those as errors.
 */
final class Wrk implements Load {

	private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in ([0-9.]+)(ms|s|m)");

	private static final Pattern PERCENTILE = Pattern.compile("^\\s+(50|99)(?:\\.000)?%\\s+([0-9.]+)(us|ms|s|m)\\s*$",
			Pattern.MULTILINE);

	private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

	private static final Pattern SOCKET_ERRORS = Pattern
		.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)");

	/** Each endpoint's script, written once per run of the tool (warm-up chunks and rounds reuse it) */
	private final java.util.Map<Endpoint, Path> scripts = new java.util.concurrent.ConcurrentHashMap<>();

	static boolean installed() {
		for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
			if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "wrk"))) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String name() {
		return "wrk -t1";
	}

	@Override
	public boolean supports(Endpoint endpoint) {
		return !endpoint.kind().grpc();
	}

	@Override
	public LoadResult run(Address address, Endpoint endpoint, int inFlight, Duration lead, Duration recorded,
			Window window) {
		try {
			Path script = this.scripts.get(endpoint);
			if (script == null) {
				script = script(endpoint);
				this.scripts.put(endpoint, script);
			}
			String url = "http://" + address.host() + ":" + address.httpPort() + endpoint.path();
			if (!lead.isZero()) {
				wrk(script, url, inFlight, lead);
			}
			window.opened();
			String output = wrk(script, url, inFlight, recorded);
			window.closed();
			return parse(output);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String wrk(Path script, String url, int inFlight, Duration duration) {
		return Processes.output(Path.of("."), List.of("wrk", "-t1", "-c" + inFlight, "-d" + duration.toSeconds() + "s",
				"--timeout", "10s", "--latency", "-s", script.toString(), url));
	}

	/** A Lua script sending the endpoint's method, headers and body (read from a file beside it) */
	static Path script(Endpoint endpoint) throws IOException {
		Path dir = Files.createTempDirectory("measure-wrk");
		dir.toFile().deleteOnExit();
		StringBuilder lua = new StringBuilder();
		lua.append("wrk.method = \"").append(endpoint.kind().name()).append("\"\n");
		lua.append("wrk.headers[\"Accept\"] = \"").append(endpoint.contentType()).append("\"\n");
		if (endpoint.kind() == Endpoint.Kind.POST) {
			Path body = dir.resolve("body");
			Files.write(body, endpoint.body());
			body.toFile().deleteOnExit();
			lua.append("wrk.headers[\"Content-Type\"] = \"").append(endpoint.contentType()).append("\"\n");
			endpoint.headers().forEach((name, value) -> lua.append("wrk.headers[\"")
				.append(name)
				.append("\"] = \"")
				.append(value)
				.append("\"\n"));
			lua.append("local file = io.open(\"").append(body).append("\", \"rb\")\n");
			lua.append("wrk.body = file:read(\"*a\")\nfile:close()\n");
		}
		Path script = dir.resolve("request.lua");
		Files.writeString(script, lua);
		script.toFile().deleteOnExit();
		return script;
	}

	/** The figures of wrk's output; fails if it has none */
	static LoadResult parse(String output) {
		Matcher requests = REQUESTS.matcher(output);
		if (!requests.find()) {
			throw new IllegalStateException("no request count in wrk's output: " + output);
		}
		long count = Long.parseLong(requests.group(1));
		double seconds = millis(requests.group(2), requests.group(3)) / 1000;
		double p50 = Double.NaN;
		double p99 = Double.NaN;
		Matcher percentile = PERCENTILE.matcher(output);
		while (percentile.find()) {
			double ms = millis(percentile.group(2), percentile.group(3));
			if (percentile.group(1).equals("50")) {
				p50 = ms;
			}
			else {
				p99 = ms;
			}
		}
		Map<String, Long> failures = new LinkedHashMap<>();
		Matcher non2xx = NON_2XX.matcher(output);
		if (non2xx.find()) {
			failures.put("non-2xx or 3xx", Long.parseLong(non2xx.group(1)));
		}
		Matcher socket = SOCKET_ERRORS.matcher(output);
		if (socket.find()) {
			String[] kinds = { "connect", "read", "write", "timeout" };
			for (int i = 0; i < kinds.length; i++) {
				long n = Long.parseLong(socket.group(i + 1));
				if (n > 0) {
					failures.put("socket " + kinds[i], n);
				}
			}
		}
		// wrk counts every completed request, non-2xx answers included; socket errors are not in its count
		long errors = failures.values().stream().mapToLong(Long::longValue).sum();
		long successes = Math.max(0, count - failures.getOrDefault("non-2xx or 3xx", 0L));
		return new LoadResult(successes, errors, seconds, p50, p99, Map.copyOf(failures));
	}

	private static double millis(String value, String unit) {
		double number = Double.parseDouble(value);
		return switch (unit.toLowerCase(Locale.ROOT)) {
			case "us" -> number / 1000;
			case "ms" -> number;
			case "s" -> number * 1000;
			case "m" -> number * 60_000;
			default -> throw new IllegalArgumentException(unit);
		};
	}

}
