package io.github.modelregistry.measure;

import java.util.Map;

/**
 * What one load run measured in its recorded window.
 *
 * @param requests requests answered successfully
 * @param errors requests that failed (a status other than 200, a gRPC status other than OK, a socket error, a
 * time-out)
 * @param seconds length of the recorded window
 * @param p50Ms median latency of the successes, in milliseconds
 * @param p99Ms 99th percentile latency of the successes, in milliseconds
 * @param failures a few failures by cause, for the log
 */
record LoadResult(long requests, long errors, double seconds, double p50Ms, double p99Ms, Map<String, Long> failures) {

	double rps() {
		return this.requests / this.seconds;
	}

}
