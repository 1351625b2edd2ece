package io.github.modelregistry.measure;

import java.util.ArrayList;
import java.util.List;

import io.github.modelregistry.measure.Report.Key;
import io.github.modelregistry.measure.Report.Metric;
import io.github.modelregistry.measure.Report.Ratio;
import io.github.modelregistry.measure.Report.Row;

/**
 * {@code strategies}: every holder strategy end to end, one sample app per strategy side by side, saturated V2 JSON
 * inference; each strategy's ratio to the default ({@code sharded-rcu}) within a round. In process, under JMH, the
 * strategies differ by nanoseconds; this says whether any of that is visible through HTTP.
 */
final class Strategies {

	static final String NAME = "strategies";

	static final List<String> ALL = List.of("sharded-rcu", "rwlock", "mutex", "static", "per-request");

	private Strategies() {
	}

	static Outcome run(Settings settings) {
		Builds.Build build = new Builds(settings.root()).build(settings.refs().get(0), List.of("sample-app"));
		Measuring measuring = new Measuring(Load.choose(settings.driver()), settings.inFlight(), settings.lead(),
				settings.seconds());
		Endpoint infer = Endpoint.v2Json("V2 infer", Endpoint.INFER_PATH);
		List<Run> runs;
		try (SideBySide apps = new SideBySide(settings, NAME)) {
			for (String strategy : ALL) {
				apps.start(Subjects.sample(strategy, build.jar("sample-app"), strategy, Subjects.ROOMY), List.of(infer));
			}
			runs = apps.measure(settings, measuring);
		}
		List<Row> rows = new ArrayList<>();
		List<Ratio> ratios = new ArrayList<>();
		Key reference = new Key(ALL.get(0), "V2 infer");
		for (String strategy : ALL) {
			rows.add(new Row(new Key(strategy, "V2 infer"), strategy));
			if (!strategy.equals(ALL.get(0))) {
				ratios.add(new Ratio(strategy + " ÷ " + ALL.get(0), new Key(strategy, "V2 infer"), List.of(reference),
						Metric.CPU, null));
				ratios.add(new Ratio(strategy + " ÷ " + ALL.get(0), new Key(strategy, "V2 infer"), List.of(reference),
						Metric.RPS, null));
			}
		}
		List<String> method = List.of("One sample app per strategy (as it ships, but for a bulkhead of 512 and a "
				+ "10 s time limit), all running side by side, each warmed up, then taking turns in every round on "
				+ "saturated V2 JSON inference of `restaurant-ranker`. `per-request` loads the model for every "
				+ "request: it is the floor, not a contender.");
		return new Outcome(NAME, "Every holder strategy end to end", method,
				List.of("sample at " + build.identity()), measuring.load().name(), new Report(rows, ratios), runs,
				List.of());
	}

}
