package io.github.modelregistry.gatling;

import io.gatling.javaapi.core.Simulation;

import static io.gatling.javaapi.core.CoreDsl.atOnceUsers;
import static io.gatling.javaapi.core.CoreDsl.global;

/**
 * The article's experiment over HTTP: 1,000 inference requests at once ({@code -Dusers} to change it). What
 * counts is what happens to them: answered, rejected fast (429 from the bulkhead), or failed; and that the server
 * is still up afterwards. No assertion on failures: for {@code per-request} and {@code mutex} rejections are the
 * expected, honest answer.
 */
public class BurstSimulation extends Simulation {

	{
		setUp(InferenceSimulation.INFER.injectOpen(atOnceUsers(Integer.parseInt(System.getProperty("users", "1000")))))
			.protocols(InferenceSimulation.PROTOCOL)
			.maxDuration(java.time.Duration.ofSeconds(120))
			.assertions(global().allRequests().count().gt(0L));
	}

}
