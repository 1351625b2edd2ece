package io.github.modelregistry.gatling;

import java.time.Duration;

/**
 * What a simulation is pointed at and how hard, from system properties ({@code -DbaseUrl=...}); every default
 * targets localhost and is bounded.
 */
final class Settings {

	private Settings() {
	}

	/** The sample app's API, {@code http://localhost:8080} unless {@code -DbaseUrl} says otherwise. */
	static String baseUrl() {
		return System.getProperty("baseUrl", "http://localhost:8080");
	}

	/** The sample app's Actuator, {@code http://localhost:8081} unless {@code -DmanagementUrl} says otherwise. */
	static String managementUrl() {
		return System.getProperty("managementUrl", "http://localhost:8081");
	}

	static String password() {
		return System.getProperty("password", "gatling-operator-secret");
	}

	static String model() {
		return System.getProperty("model", "restaurant-ranker");
	}

	/** Requests per second for open-model simulations. */
	static double rate() {
		return Double.parseDouble(System.getProperty("rate", "200"));
	}

	/** Concurrent users for closed-model simulations. */
	static int users() {
		return Integer.parseInt(System.getProperty("users", "32"));
	}

	static Duration duration() {
		return Duration.ofSeconds(Long.parseLong(System.getProperty("durationSeconds", "20")));
	}

	/** Whether the strategy under test must answer every request (false for mutex and per-request overload). */
	static boolean expectNoFailures() {
		return Boolean.parseBoolean(System.getProperty("expectNoFailures", "true"));
	}

	/** Open model (constant arrival rate) or closed model (fixed concurrent users, finds saturation). */
	static boolean closedModel() {
		return "closed".equals(System.getProperty("workload", "open"));
	}

}
