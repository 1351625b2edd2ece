package io.github.modelregistry.measure;

import java.time.Duration;
import java.util.List;

/**
 * Warming an application up until what follows measures it and not its JIT. A fresh application's throughput climbs
 * for about a minute on 2 cores while C2 compiles its request path (measured before: 1,900, 3,700, 5,200, 7,200,
 * 7,800, 8,200, 9,200, 9,200 inferences/s in successive 10 s runs). So: chunks of load over every endpoint the
 * application will be measured on, until two chunks in a row both compile for under half a second (CPU time of the
 * JIT's threads, from {@code /proc}) and serve, on every endpoint, within 10 % of the previous chunk's requests per
 * second; at most
 * {@code most} chunks (then it says so and measures anyway).
 */
final class WarmUp {

	static final double QUIET_JIT_SECONDS = 0.5;

	static final double STABLE_THROUGHPUT = 0.10;

	private WarmUp() {
	}

	static void untilSettled(App app, Load load, List<Endpoint> endpoints, int inFlight, Duration chunk, int most) {
		Duration each = Duration.ofMillis(Math.max(1000, chunk.toMillis() / endpoints.size()));
		double[] previous = new double[endpoints.size()];
		int settled = 0;
		for (int i = 1; i <= most; i++) {
			Cpu.Sample before = app.cpu();
			double[] rps = new double[endpoints.size()];
			boolean stable = i > 1;
			for (int e = 0; e < endpoints.size(); e++) {
				LoadResult result = load.run(app.address(), endpoints.get(e), inFlight, Duration.ZERO, each,
						Load.Window.NONE);
				if (result.requests() == 0) {
					throw new IllegalStateException(app + " answered nothing on " + endpoints.get(e)
							+ " while warming up: " + result.failures() + "; see " + app.log());
				}
				rps[e] = result.rps();
				stable &= Math.abs(rps[e] - previous[e]) <= STABLE_THROUGHPUT * previous[e];
			}
			double jit = app.cpu().since(before).get("jit") * Cpu.microsPerTick() / 1e6;
			settled = (jit < QUIET_JIT_SECONDS && stable) ? settled + 1 : 0;
			System.out.printf("warm-up %s %d: %.2f s of JIT, requests/s %s%n", app, i, jit,
					java.util.Arrays.stream(rps).mapToObj((r) -> String.format(java.util.Locale.ROOT, "%.0f", r)).toList());
			previous = rps;
			if (settled >= 2) {
				return;
			}
		}
		System.out.printf("warm-up %s: not settled after %d chunks; measuring anyway%n", app, most);
	}

	/**
	 * Waits until the JIT has compiled nothing for a second: compiles are asynchronous, and the queue one run leaves
	 * behind would otherwise land on the next.
	 */
	static void jitQuiet(App app, Duration most) {
		long deadline = System.nanoTime() + most.toNanos();
		long last = app.cpu().since(Cpu.Sample.EMPTY).get("jit");
		while (System.nanoTime() < deadline) {
			App.pause(Duration.ofSeconds(1));
			long now = app.cpu().since(Cpu.Sample.EMPTY).get("jit");
			if (now == last) {
				return;
			}
			last = now;
		}
		System.out.printf("%s: the JIT was still compiling after %d s; measuring anyway%n", app, most.toSeconds());
	}

}

