package io.github.modelregistry.measure;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The applications the experiments start, with the arguments each needs to run beside the others */
final class Subjects {

	/** The sample app's operator password in every experiment (its user is {@code operator}) */
	static final String PASSWORD = "measure-operator-secret";

	/** What lets 256 requests in flight be served rather than refused: the sample's bulkhead admits 32 by default */
	static final List<String> ROOMY = List.of("--resilience4j.bulkhead.configs.default.max-concurrent-calls=512",
			"--resilience4j.timelimiter.configs.default.timeout-duration=10s");

	private Subjects() {
	}

	/** The sample app as it ships, on its own ports, with a holder strategy */
	static App.Spec sample(String name, Path jar, String strategy, List<String> more) {
		List<String> arguments = new ArrayList<>(List.of("--server.port={http}", "--management.server.port={management}",
				"--spring.grpc.server.port={grpc}", "--spring.security.user.password=" + PASSWORD,
				"--model-registry.strategy=" + strategy, "--logging.level.io.github.modelregistry=WARN"));
		arguments.addAll(more);
		return new App.Spec(name, jar, arguments, "/actuator/health/readiness");
	}

	/** The baseline (a bare Spring Boot app serving the model naively), on WebFlux or, if {@code servlet}, on MVC */
	static App.Spec bare(String name, Path jar, Path root, boolean servlet) {
		return new App.Spec(name, jar, Arrays.asList("--server.port={http}", "--spring.main.web-application-type="
				+ (servlet ? "servlet" : "reactive"), "--baseline.model=file:" + model(root)), "/live");
	}

	/** The face app (both starters) on Tomcat ({@code servlet}) or Reactor Netty, serving the sample's models */
	static App.Spec face(String name, Path jar, Path root, boolean servlet) {
		List<String> arguments = new ArrayList<>(List.of("--server.port={http}",
				"--spring.main.web-application-type=" + (servlet ? "servlet" : "reactive"),
				"--model-registry.base-path=file:" + root.resolve("sample-app/src/main/resources/models"),
				"--logging.level.io.github.modelregistry=WARN"));
		arguments.addAll(ROOMY);
		return new App.Spec(name, jar, arguments, "/v2/health/ready");
	}

	static Path model(Path root) {
		return root.resolve("sample-app/src/main/resources/models/restaurant-ranker/2/model.onnx");
	}

	/** The variants in the order of a round: rotated by one per round, so that none always goes first */
	static <T> List<T> rotated(List<T> variants, int round) {
		List<T> order = new ArrayList<>();
		for (int i = 0; i < variants.size(); i++) {
			order.add(variants.get((i + round - 1) % variants.size()));
		}
		return order;
	}

}
