package io.github.modelregistry.measure;

import java.util.List;

import io.github.modelregistry.measure.Report.Goal;
import io.github.modelregistry.measure.Report.Key;
import io.github.modelregistry.measure.Report.Metric;
import io.github.modelregistry.measure.Report.Ratio;
import io.github.modelregistry.measure.Report.Row;

/**
 * {@code faces}: the Spring MVC face against the WebFlux face and against a bare Spring MVC app. The face app (both
 * starters) runs once on Tomcat and once on Reactor Netty; the baseline runs as a bare MVC app (an annotated
 * controller binding the request into records, one {@code OrtSession} on Tomcat's request thread). The same V2 JSON
 * body to each.
 */
final class Faces {

	static final String NAME = "faces";

	private Faces() {
	}

	static Outcome run(Settings settings) {
		Builds builds = new Builds(settings.root());
		Builds.Build face = builds.build(settings.refs().get(0), List.of("face-app"));
		Builds.Build bare = builds.build(".", List.of("baseline"));
		Measuring measuring = new Measuring(Load.choose(settings.driver()), settings.inFlight(), settings.lead(),
				settings.seconds());
		Endpoint infer = Endpoint.v2Json("V2 infer", Endpoint.INFER_PATH);
		List<Run> runs;
		try (SideBySide apps = new SideBySide(settings, NAME)) {
			apps.start(Subjects.face("mvc face", face.jar("face-app"), settings.root(), true), List.of(infer));
			apps.start(Subjects.face("webflux face", face.jar("face-app"), settings.root(), false), List.of(infer));
			apps.start(Subjects.bare("bare mvc", bare.jar("baseline"), settings.root(), true),
					List.of(Endpoint.v2Json("V2 infer", "/infer")));
			runs = apps.measure(settings, measuring);
		}
		Key mvc = new Key("mvc face", "V2 infer");
		Key webflux = new Key("webflux face", "V2 infer");
		Key bareMvc = new Key("bare mvc", "V2 infer");
		List<Row> rows = List.of(new Row(mvc, "MVC face (Tomcat)"), new Row(webflux, "WebFlux face (Reactor Netty)"),
				new Row(bareMvc, "bare Spring MVC app"));
		List<Ratio> ratios = List.of(new Ratio("MVC face ÷ bare MVC app", mvc, List.of(bareMvc), Metric.CPU,
				Goal.atMost(1)), new Ratio("MVC face ÷ WebFlux face", mvc, List.of(webflux), Metric.RPS, Goal.atLeast(0.8)),
				new Ratio("MVC face ÷ WebFlux face", mvc, List.of(webflux), Metric.CPU, null),
				new Ratio("MVC face ÷ bare MVC app", mvc, List.of(bareMvc), Metric.RPS, null));
		List<String> method = List.of("The three applications run side by side, each warmed up, then take turns "
				+ "in every round. Both faces run with the starters' defaults but the bulkhead raised to 512 and the "
				+ "time limiter to 10 s, so that no request is refused (the bare app has neither).");
		return new Outcome(NAME, "The Spring MVC face against the WebFlux face and a bare MVC app", method,
				List.of("face-app at " + face.identity(), "bare at " + bare.identity()), measuring.load().name(),
				new Report(rows, ratios), runs, List.of());
	}

}
