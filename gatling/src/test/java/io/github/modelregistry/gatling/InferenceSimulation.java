package io.github.modelregistry.gatling;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpProtocolBuilder;

import static io.gatling.javaapi.core.CoreDsl.ElFileBody;
import static io.gatling.javaapi.core.CoreDsl.constantConcurrentUsers;
import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.global;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

/**
 * V2 inference of 10×40 batches. Open model by default ({@code -Drate}, requests per second: the load a service
 * sees, and free of coordinated omission); {@code -Dworkload=closed -Dusers=N} keeps N requests in flight to find
 * the saturation throughput.
 */
public class InferenceSimulation extends Simulation {

	static final HttpProtocolBuilder PROTOCOL = http.baseUrl(Settings.baseUrl())
		.contentTypeHeader("application/json")
		.acceptHeader("application/json")
		.shareConnections();

	static final ScenarioBuilder INFER = scenario("infer")
		.exec(http("infer").post("/v2/models/" + Settings.model() + "/infer")
			.body(ElFileBody("infer-10x40.json"))
			.check(status().is(200), jsonPath("$.outputs[0].data[*]").count().is(10)));

	{
		setUp(Settings.closedModel()
				? INFER.injectClosed(constantConcurrentUsers(Settings.users()).during(Settings.duration()))
				: INFER.injectOpen(constantUsersPerSec(Settings.rate()).during(Settings.duration())))
			.protocols(PROTOCOL)
			.maxDuration(Settings.duration().plusSeconds(30))
			.assertions(Settings.expectNoFailures() ? global().failedRequests().count().is(0L)
					: global().allRequests().count().gt(0L));
	}

}
