package io.github.modelregistry.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shape most experiments share: every application started once and kept running side by side (idle but for its
 * turn), each warmed up, then rounds in which the applications take turns, the first rotating by round, each running
 * every endpoint of its own. Ratios are then taken within a round, so that a slow minute of a shared machine moves
 * numerator and denominator together.
 */
final class SideBySide implements AutoCloseable {

	private final Map<App, List<Endpoint>> apps = new LinkedHashMap<>();

	private final Path logs;

	SideBySide(Settings settings, String experiment) {
		this.logs = settings.root().resolve("target/measure/" + experiment + "/logs");
	}

	/** Starts an application (it is stopped when this closes) */
	App start(App.Spec spec, List<Endpoint> endpoints) {
		System.out.println("measure: starting " + spec.name());
		App app = App.start(spec, this.logs);
		this.apps.put(app, endpoints);
		return app;
	}

	List<Run> measure(Settings settings, Measuring measuring) {
		List<App> order = new ArrayList<>(this.apps.keySet());
		measuring.warmUp(order, this.apps, settings.warmUpChunk(), settings.warmUpMost());
		List<Run> runs = new ArrayList<>();
		for (int round = 1; round <= settings.rounds(); round++) {
			for (App app : Subjects.rotated(order, round)) {
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
