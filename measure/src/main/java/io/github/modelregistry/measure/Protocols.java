package io.github.modelregistry.measure;

import java.util.List;

import io.github.modelregistry.measure.Report.Goal;
import io.github.modelregistry.measure.Report.Key;
import io.github.modelregistry.measure.Report.Metric;
import io.github.modelregistry.measure.Report.Ratio;
import io.github.modelregistry.measure.Report.Row;

/**
 * {@code protocols}: the sample app's three inference protocols side by side, the same 10 x 40 FP32 request to
 * {@code restaurant-ranker}: V2 JSON REST, REST with the binary tensor data extension, and gRPC with raw contents; and
 * the two trivial ceilings (REST {@code GET /v2/health/live}, gRPC {@code ServerLive}). One driver for all of them
 * (the tool's own, unless told otherwise), so that what the load generator leaves of the cores is the same for each.
 */
final class Protocols {

	static final String NAME = "protocols";

	private Protocols() {
	}

	static Outcome run(Settings settings) {
		Builds.Build build = new Builds(settings.root()).build(settings.refs().get(0), List.of("sample-app"));
		Measuring measuring = new Measuring(Load.choose(settings.driver().equals("auto") ? "java" : settings.driver()),
				settings.inFlight(), settings.lead(), settings.seconds());
		List<Endpoint> endpoints = List.of(Endpoint.v2Json("JSON REST", Endpoint.INFER_PATH),
				Endpoint.v2Binary("binary REST", Endpoint.INFER_PATH), Endpoint.grpcInfer("gRPC"),
				Endpoint.get("REST live", "/v2/health/live", "\"live\""), Endpoint.grpcLive("gRPC live"));
		List<Run> runs;
		try (SideBySide apps = new SideBySide(settings, NAME)) {
			apps.start(Subjects.sample("sample", build.jar("sample-app"), settings.strategy(), Subjects.ROOMY),
					endpoints);
			runs = apps.measure(settings, measuring);
		}
		List<Row> rows = endpoints.stream().map((e) -> new Row(new Key("sample", e.name()), e.name())).toList();
		Key json = new Key("sample", "JSON REST");
		List<Ratio> ratios = List.of(
				new Ratio("binary REST ÷ JSON REST", new Key("sample", "binary REST"), List.of(json), Metric.CPU, null),
				new Ratio("binary REST ÷ JSON REST", new Key("sample", "binary REST"), List.of(json), Metric.RPS,
						Goal.atLeast(1.3)),
				new Ratio("gRPC ÷ JSON REST", new Key("sample", "gRPC"), List.of(json), Metric.CPU, null),
				new Ratio("gRPC ÷ JSON REST", new Key("sample", "gRPC"), List.of(json), Metric.RPS, Goal.atLeast(1.3)));
		List<String> method = List.of("One sample app (as it ships, but for a bulkhead of 512 and a 10 s time limit so "
				+ "that no request in flight is refused), warmed up on every endpoint, then the endpoints in turn in "
				+ "every round. The application's CPU per request is its own (from `/proc`); throughput is what is left "
				+ "of the cores beside the driver, the same driver for every protocol.");
		return new Outcome(NAME, "JSON REST, binary REST and gRPC", method,
				List.of("sample at " + build.identity() + " (strategy " + settings.strategy() + ")"),
				measuring.load().name(), new Report(rows, ratios), runs, List.of());
	}

}
