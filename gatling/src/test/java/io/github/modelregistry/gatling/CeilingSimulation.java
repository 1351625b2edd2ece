package io.github.modelregistry.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * {@code GET /v2/health/live} at saturation ({@code -Dusers} in flight): the HTTP stack's own ceiling on this
 * machine, the limit the infer path is compared with.
 */
public class CeilingSimulation extends Simulation {

	static final ScenarioBuilder LIVE = scenario("ceiling")
		.exec(http("live").get("/v2/health/live").check(status().is(200)));

	{
		setUp(LIVE.injectClosed(constantConcurrentUsers(Settings.users()).during(Settings.duration())))
			.protocols(InferenceSimulation.PROTOCOL)
			.maxDuration(Settings.duration().plusSeconds(30))
			.assertions(global().failedRequests().count().is(0L));
	}

}
