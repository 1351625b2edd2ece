package io.github.modelregistry.measure;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * What every experiment does around a load run: read the application's CPU at the edges of the recorded window, wait
 * for its JIT to be quiet first, and refuse a run with errors (a measurement of failures is not one of the path).
 */
final class Measuring {

	private final Load load;

	private final int inFlight;

	private final Duration lead;

	private final Duration recorded;

	Measuring(Load load, int inFlight, Duration lead, Duration recorded) {
		this.load = load;
		this.inFlight = inFlight;
		this.lead = lead;
		this.recorded = recorded;
	}

	Load load() {
		return this.load;
	}

	int inFlight() {
		return this.inFlight;
	}

	Duration recorded() {
		return this.recorded;
	}

	/** One recorded run of an endpoint on an application */
	Run run(int round, String variant, App app, Endpoint endpoint) {
		WarmUp.jitQuiet(app, Duration.ofSeconds(20));
		AtomicReference<Cpu.Sample> before = new AtomicReference<>();
		AtomicReference<Map<String, Long>> spent = new AtomicReference<>();
		LoadResult result = this.load.run(app.address(), endpoint, this.inFlight, this.lead, this.recorded,
				new Load.Window() {

					@Override
					public void opened() {
						before.set(app.cpu());
					}

					@Override
					public void closed() {
						spent.set(app.cpu().since(before.get()));
					}

				});
		if (result.requests() == 0 || result.errors() > 0) {
			throw new IllegalStateException(variant + " " + endpoint + ": " + result.requests() + " answered, "
					+ result.errors() + " failed " + result.failures() + "; see " + app.log());
		}
		Run run = Run.of(round, variant, endpoint.name(), result, spent.get());
		System.out.printf("round %d, %s %s: %.0f requests/s, p99 %.2f ms, %.0f µs of app CPU per request%n", round,
				variant, endpoint.name(), run.rps(), run.p99Ms(), run.cpuMicros());
		return run;
	}

	/** Warms every application up on its endpoints (see {@link WarmUp}) */
	void warmUp(List<App> apps, Map<App, List<Endpoint>> endpoints, Duration chunk, int most) {
		for (App app : apps) {
			WarmUp.untilSettled(app, this.load, endpoints.get(app), this.inFlight, chunk, most);
		}
	}

}
