package io.github.modelregistry.gatling;

import java.time.Duration;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * Steady inference at {@code -Drate} while a second scenario reloads the model through the authenticated Actuator
 * endpoint every second, alternating versions 1 and 2. Asserts that no inference fails.
 */
public class ReloadUnderLoadSimulation extends Simulation {

	ScenarioBuilder reload = scenario("reload")
		.during(Settings.duration())
		.on(exec(1).exec(exec(2)));

	private static io.gatling.javaapi.core.ChainBuilder exec(int version) {
		return io.gatling.javaapi.core.CoreDsl.exec(http("reload to " + version)
			.post(Settings.managementUrl() + "/actuator/models/" + Settings.model())
			.basicAuth("operator", Settings.password())
			.body(StringBody("{\"version\": " + version + "}"))
			.check(status().is(200), jsonPath("$.outcome").is("RELOADED")))
			.pause(Duration.ofSeconds(1));
	}

	{
		setUp(InferenceSimulation.INFER.injectOpen(constantUsersPerSec(Settings.rate()).during(Settings.duration())),
				this.reload.injectOpen(io.gatling.javaapi.core.CoreDsl.atOnceUsers(1)))
			.protocols(InferenceSimulation.PROTOCOL)
			.maxDuration(Settings.duration().plusSeconds(30))
			.assertions(Settings.expectNoFailures() ? details("infer").failedRequests().count().is(0L)
					: global().allRequests().count().gt(0L), details("reload to 1").failedRequests().count().is(0L));
	}

}
