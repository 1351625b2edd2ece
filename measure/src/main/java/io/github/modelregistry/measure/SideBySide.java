package io.github.modelregistry.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape most experiments share: every application started once and kept running side by side (idle but for its
 * turn), each warmed up, then rounds in which the applications take turns, the first rotating by round, each running
 * every endpoint of its own; with {@code --fresh-processes}, every round starts and warms up new processes. Ratios are then taken within a round, so that a slow minute of a shared machine moves
 * numerator and denominator together.
 */
final class SideBySide implements AutoCloseable {

	private final Map<App, List<Endpoint>> apps = new LinkedHashMap<>();

	/** What was started, in order, so that {@code --fresh-processes} can start it again every round */
	private final Map<App.Spec, List<Endpoint>> specs = new LinkedHashMap<>();

	private final Path logs;

	SideBySide(Settings settings, String experiment) {
		this.logs = settings.root().resolve("target/measure/" + experiment + "/logs");
	}

	/** Starts an application (it is stopped when this closes) */
	App start(App.Spec spec, List<Endpoint> endpoints) {
		System.out.println("measure: starting " + spec.name());
		App app = App.start(spec, this.logs);
		this.apps.put(app, endpoints);
		this.specs.put(spec, endpoints);
		return app;
	}

	List<Run> measure(Settings settings, Measuring measuring) {
		List<Run> runs = new ArrayList<>();
		for (int round = 1; round <= settings.rounds(); round++) {
			if (round == 1 || settings.freshProcesses()) {
				if (round > 1) {
					// Every application stopped and started again: this round measures new processes
					close();
					this.apps.clear();
					this.specs.forEach((spec, endpoints) -> this.apps.put(App.start(spec, this.logs), endpoints));
				}
				measuring.warmUp(new ArrayList<>(this.apps.keySet()), this.apps, settings.warmUpChunk(),
						settings.warmUpMost());
			}
			for (App app : Subjects.rotated(new ArrayList<>(this.apps.keySet()), round)) {
				for (Endpoint endpoint : this.apps.get(app)) {
					runs.add(measuring.run(round, app.name(), app, endpoint));
				}
			}
		}
		return runs;
	}

	@Override
	public void close() {
		this.apps.keySet().forEach(App::close);
	}

}
