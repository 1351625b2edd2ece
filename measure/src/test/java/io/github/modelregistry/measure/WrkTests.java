package io.github.modelregistry.measure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WrkTests {

	private static final String OUTPUT = """
			Running 10s test @ http://localhost:18080/v2/models/restaurant-ranker/infer
			  1 threads and 32 connections
			  Thread Stats   Avg      Stdev     Max   +/- Stdev
			    Latency     3.12ms    1.05ms  40.21ms   89.33%
			    Req/Sec    10.35k   512.00    11.20k    71.00%
			  Latency Distribution
			     50%    2.95ms
			     75%    3.40ms
			     90%    4.10ms
			     99%    7.53ms
			  103012 requests in 10.00s, 30.12MB read
			Requests/sec:  10298.55
			Transfer/sec:      3.01MB
			""";

	@Test
	void parseReadsCountDurationAndPercentiles() {
		LoadResult result = Wrk.parse(OUTPUT);
		assertThat(result.requests()).isEqualTo(103012);
		assertThat(result.errors()).isZero();
		assertThat(result.seconds()).isEqualTo(10.0);
		assertThat(result.p50Ms()).isEqualTo(2.95);
		assertThat(result.p99Ms()).isEqualTo(7.53);
		assertThat(result.rps()).isEqualTo(10301.2);
	}

	@Test
	void parseTurnsUnitsIntoMilliseconds() {
		LoadResult result = Wrk.parse(OUTPUT.replace("2.95ms", "950.00us").replace("7.53ms", "1.20s"));
		assertThat(result.p50Ms()).isEqualTo(0.95);
		assertThat(result.p99Ms()).isEqualTo(1200.0);
	}

	@Test
	void nonSuccessAnswersAndSocketErrorsAreErrors() {
		LoadResult result = Wrk.parse(OUTPUT.replace("Requests/sec:", """
				  Socket errors: connect 0, read 2, write 0, timeout 5
				  Non-2xx or 3xx responses: 12
				Requests/sec:"""));
		assertThat(result.errors()).isEqualTo(19);
		assertThat(result.requests()).isEqualTo(103000);
		assertThat(result.failures()).containsEntry("non-2xx or 3xx", 12L)
			.containsEntry("socket read", 2L)
			.containsEntry("socket timeout", 5L)
			.doesNotContainKey("socket connect");
	}

	@Test
	void parseFailsWithoutARequestCount() {
		assertThatIllegalStateException().isThrownBy(() -> Wrk.parse("unable to connect to localhost:1"))
			.withMessageContaining("unable to connect");
	}

}
