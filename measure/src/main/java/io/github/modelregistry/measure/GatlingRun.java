package io.github.modelregistry.measure;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code gatling}: the Gatling simulations (the load-test examples users copy, in {@code gatling/}) against a sample
 * app this tool builds and starts: {@code measure/run gatling InferenceSimulation -Drate=50 -DdurationSeconds=10}.
 * Gatling's own assertions decide the exit status; its HTML report lands in {@code gatling/target/gatling/}.
 */
final class GatlingRun {

	static final String NAME = "gatling";

	private GatlingRun() {
	}

	/**
	 * Starts the sample app and runs each simulation against it.
	 * @param settings the ref and strategy of the app
	 * @param simulations simple class names in {@code io.github.modelregistry.gatling}
	 * @param properties {@code -Dname=value} for the simulations
	 */
	static void run(Settings settings, List<String> simulations, List<String> properties) {
		if (simulations.isEmpty()) {
			throw new IllegalArgumentException("name a simulation: InferenceSimulation, ReloadUnderLoadSimulation, "
					+ "RecommendationSimulation, CeilingSimulation or BurstSimulation");
		}
		Builds.Build build = new Builds(settings.root()).build(settings.refs().get(0), List.of("sample-app"));
		try (SideBySide apps = new SideBySide(settings, NAME)) {
			App app = apps.start(Subjects.sample("sample", build.jar("sample-app"), settings.strategy(), List.of()),
					List.of());
			for (String simulation : simulations) {
				// Online: on a fresh machine the Gatling plugin is not in the local repository until its first run
				List<String> command = new ArrayList<>(List.of("./mvnw", "-q", "-B", "-pl", "gatling",
						"gatling:test", "-Dgatling.simulationClass=io.github.modelregistry.gatling." + simulation,
						"-DbaseUrl=http://localhost:" + app.address().httpPort(),
						"-DmanagementUrl=http://localhost:" + app.managementPort(), "-Dpassword=" + Subjects.PASSWORD));
				command.addAll(properties);
				System.out.println("measure: " + simulation + " " + String.join(" ", properties));
				int status = Processes.inherit(settings.root(), command);
				if (status != 0) {
					throw new IllegalStateException(simulation + " failed (a Gatling assertion, or the build); see above");
				}
			}
		}
	}

}
