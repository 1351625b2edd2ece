package io.github.modelregistry.sample;

import java.time.Duration;
import java.util.List;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app with its {@code tracing} profile: an inference over the V2 API is one trace, its HTTP span the
 * parent of the registry's {@code infer restaurant-ranker} span, which carries the model, strategy, outcome and
 * version and marks its phases as events. The spans are exported to OpenTelemetry's in-memory exporter, the way an
 * OTLP exporter would send them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("tracing")
@AutoConfigureTracing
class TracingTest {

	@TestConfiguration
	static class Exporter {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

	}

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter exporter;

	@Test
	void anInferenceIsASpanInsideItsHttpRequestsSpan() {
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
		SpanData inference = await().atMost(Duration.ofSeconds(30))
			.until(() -> span("infer restaurant-ranker"), (span) -> span != null);
		assertThat(inference.getAttributes().asMap()).extractingFromEntries((entry) -> entry.getKey().getKey(),
				(entry) -> entry.getValue().toString())
			.contains(org.assertj.core.groups.Tuple.tuple("model", "restaurant-ranker"),
					org.assertj.core.groups.Tuple.tuple("strategy", "sharded-rcu"),
					org.assertj.core.groups.Tuple.tuple("outcome", "success"),
					org.assertj.core.groups.Tuple.tuple("version", "2"));
		assertThat(inference.getEvents()).extracting((event) -> event.getName())
			.containsExactly("permitted", "dequeued", "entered");
		SpanData http = await().atMost(Duration.ofSeconds(30))
			.until(() -> spanWithId(inference.getParentSpanId()), (span) -> span != null);
		assertThat(http.getTraceId()).isEqualTo(inference.getTraceId());
		assertThat(http.getName()).startsWith("http post");
		assertThat(inference.getStartEpochNanos()).isGreaterThanOrEqualTo(http.getStartEpochNanos());
		assertThat(inference.getEndEpochNanos()).isLessThanOrEqualTo(http.getEndEpochNanos());
	}

	private SpanData span(String name) {
		List<SpanData> spans = this.exporter.getFinishedSpanItems();
		return spans.stream().filter((span) -> span.getName().equals(name)).findFirst().orElse(null);
	}

	private SpanData spanWithId(String id) {
		return this.exporter.getFinishedSpanItems()
			.stream()
			.filter((span) -> span.getSpanId().equals(id))
			.findFirst()
			.orElse(null);
	}

}
