package io.github.modelregistry.measure;

import java.util.ArrayList;
import java.util.List;

import io.github.modelregistry.measure.Report.Goal;
import io.github.modelregistry.measure.Report.Key;
import io.github.modelregistry.measure.Report.Metric;
import io.github.modelregistry.measure.Report.Ratio;
import io.github.modelregistry.measure.Report.Row;

/**
 * {@code request-path}: the sample app against what a Spring team writes in an afternoon. The bare app
 * ({@code baseline/}, Spring Boot WebFlux, no registry, no protection, no Actuator, no Spring Security) serves a trivial
 * route and the same model two ways: naive (Jackson binds the nested rows into records, {@code float[][]}) and lean
 * (flat {@code float[]} data, {@code FloatBuffer.wrap}); the sample app, as it ships, serves its trivial V2 route, V2
 * JSON inference and its own recommendations API. Inference ratios are taken against the leaner of the two bare
 * variants in each round. This is the README's headline.
 */
final class RequestPath {

	static final String NAME = "request-path";

	private RequestPath() {
	}

	static Outcome run(Settings settings) {
		Builds builds = new Builds(settings.root());
		Builds.Build bareBuild = builds.build(".", List.of("baseline"));
		List<Builds.Build> sampleBuilds = settings.refs().stream().map((ref) -> builds.build(ref, List.of("sample-app")))
			.toList();
		Measuring measuring = new Measuring(Load.choose(settings.driver()), settings.inFlight(), settings.lead(),
				settings.seconds());
		List<String> provenance = new ArrayList<>(List.of("bare at " + bareBuild.identity()));
		List<Row> rows = new ArrayList<>(List.of(new Row(new Key("bare", "trivial"), "bare trivial (`GET /live`)"),
				new Row(new Key("bare", "naive infer"), "bare naive infer (`POST /infer`, nested rows)"),
				new Row(new Key("bare", "lean infer"), "bare lean infer (`POST /infer-lean`, flat data)")));
		List<Ratio> ratios = new ArrayList<>();
		List<Key> bareInfer = List.of(new Key("bare", "naive infer"), new Key("bare", "lean infer"));
		List<Run> runs;
		try (SideBySide apps = new SideBySide(settings, NAME)) {
			apps.start(Subjects.bare("bare", bareBuild.jar("baseline"), settings.root(), false),
					List.of(Endpoint.get("trivial", "/live", "\"live\""), Endpoint.v2Json("naive infer", "/infer"),
							Endpoint.v2JsonFlat("lean infer", "/infer-lean")));
			for (Builds.Build build : sampleBuilds) {
				String name = (sampleBuilds.size() > 1) ? "sample@" + build.ref() : "sample";
				provenance.add(name + " at " + build.identity() + " (strategy " + settings.strategy() + ")");
				apps.start(Subjects.sample(name, build.jar("sample-app"), settings.strategy(), List.of()),
						List.of(Endpoint.get("trivial", "/v2/health/live", "\"live\""),
								Endpoint.v2Json("V2 infer", Endpoint.INFER_PATH), Endpoint.postJson("API",
										"/api/recommendations", Endpoint.resource("recommendations.json"),
										"\"recommendations\"")));
				rows.add(new Row(new Key(name, "trivial"), name + " trivial (`GET /v2/health/live`)"));
				rows.add(new Row(new Key(name, "V2 infer"), name + " V2 infer (`POST " + Endpoint.INFER_PATH + "`)"));
				rows.add(new Row(new Key(name, "API"), name + " API (`POST /api/recommendations`)"));
				Key infer = new Key(name, "V2 infer");
				ratios.add(new Ratio(name + " V2 infer ÷ the leaner bare infer", infer, bareInfer, Metric.CPU,
						Goal.atMost(0.8)));
				ratios.add(new Ratio(name + " V2 infer ÷ the leaner bare infer", infer, bareInfer, Metric.RPS,
						Goal.atLeast(1.2)));
				ratios.add(new Ratio(name + " V2 infer ÷ the leaner bare infer", infer, bareInfer, Metric.P99, null));
				ratios.add(new Ratio(name + " trivial ÷ bare trivial", new Key(name, "trivial"),
						List.of(new Key("bare", "trivial")), Metric.CPU, null));
				ratios.add(new Ratio(name + " trivial ÷ bare trivial", new Key(name, "trivial"),
						List.of(new Key("bare", "trivial")), Metric.RPS, Goal.atLeast(0.8)));
				ratios.add(new Ratio(name + " API ÷ the leaner bare infer", new Key(name, "API"), bareInfer, Metric.CPU,
						null));
			}
			runs = apps.measure(settings, measuring);
		}
		List<String> method = List.of("The applications run side by side on the same machine as the load generator, "
				+ "each started once and warmed up (chunks of load over its endpoints until two in a row compile for "
				+ "under 0.5 s and serve within 10 % of the chunk before); then, in every round, they take turns, the "
				+ "first rotating by round, each endpoint loaded for the recorded time after the JIT has been quiet for "
				+ "a second. The app's CPU per request is its process's user + system time from `/proc` over the "
				+ "recorded window divided by the requests answered; requests/s and latencies are the load "
				+ "generator's, which shares the cores. Every run answered only 200s.",
				"bare: `baseline/`, Spring Boot WebFlux, a functional route answering `{\"live\":true}`; `POST /infer` "
						+ "binds the V2 JSON body with Jackson into records (`float[][]` data) and copies it into a "
						+ "tensor with `OnnxTensor.createTensor(env, Object)`; `POST /infer-lean` binds flat `float[]` "
						+ "data and wraps it (`FloatBuffer.wrap`); one `OrtSession` with the starter's default "
						+ "options, `publishOn(Schedulers.parallel())`; no limits, metrics, security or Actuator. "
						+ "sample: the sample app as it ships (bulkhead, time limiter, circuit breaker, metrics and "
						+ "observations, tensor pool, Spring Security and Actuator on the management port).");
		return new Outcome(NAME, "The request path: the sample app against a bare WebFlux app", method, provenance,
				measuring.load().name(), new Report(rows, ratios), runs, List.of());
	}

}
