package io.github.modelregistry.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.ElFileBody;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * The sample app's own API, {@code POST /api/recommendations}, at a constant arrival rate.
 */
public class RecommendationSimulation extends Simulation {

	static final ScenarioBuilder RECOMMEND = scenario("recommendations")
		.exec(http("recommendations").post("/api/recommendations")
			.body(ElFileBody("recommendations.json"))
			.check(status().is(200), jsonPath("$.recommendations[0].id").exists()));

	{
		setUp(RECOMMEND.injectOpen(constantUsersPerSec(Settings.rate()).during(Settings.duration())))
			.protocols(InferenceSimulation.PROTOCOL)
			.maxDuration(Settings.duration().plusSeconds(30))
			.assertions(global().failedRequests().count().is(0L));
	}

}
