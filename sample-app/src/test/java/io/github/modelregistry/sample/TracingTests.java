package io.github.modelregistry.sample;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.google.protobuf.ByteString;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.micrometer.tracing.test.autoconfigure.AutoConfigureTracing;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.grpc.server.lifecycle.GrpcServerStartedEvent;
import org.springframework.test.context.ActiveProfiles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app with its {@code tracing} profile: an inference over the V2 API is one trace, its HTTP span (or,
 * over gRPC, the call's span) the parent of the registry's {@code infer restaurant-ranker} span, which carries the
 * model, strategy, outcome and version and marks its phases as events. The spans are exported to OpenTelemetry's in-memory exporter, the way an
 * OTLP exporter would send them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("tracing")
@AutoConfigureTracing
class TracingTests {

	@TestConfiguration(proxyBeanMethods = false)
	static class Exporter {

		@Bean
		InMemorySpanExporter inMemorySpanExporter() {
			return InMemorySpanExporter.create();
		}

		/** The random port the gRPC server listens on. */
		@Bean
		AtomicInteger grpcPort() {
			return new AtomicInteger();
		}

		@Bean
		ApplicationListener<GrpcServerStartedEvent> grpcPortListener(AtomicInteger grpcPort) {
			return (event) -> grpcPort.set(event.getPort());
		}

	}

	@Autowired
	AtomicInteger grpcPort;

	@LocalServerPort
	int port;

	@Autowired
	InMemorySpanExporter exporter;

	@BeforeEach
	void forgetEarlierSpans() {
		// Both tests share the context and its exporter: each looks only at the spans of its own request
		this.exporter.reset();
	}

	@Test
	void anInferenceIsASpanInsideItsHttpRequestsSpan() {
		assertThat(SampleModels.infer(this.port, "restaurant-ranker").statusCode()).isEqualTo(200);
		SpanData inference = finished((span) -> span.getName().equals("infer restaurant-ranker"));
		assertThat(inference.getAttributes().asMap()).extractingFromEntries((entry) -> entry.getKey().getKey(),
				(entry) -> entry.getValue().toString())
			.contains(org.assertj.core.groups.Tuple.tuple("model", "restaurant-ranker"),
					org.assertj.core.groups.Tuple.tuple("strategy", "sharded-rcu"),
					org.assertj.core.groups.Tuple.tuple("outcome", "success"),
					org.assertj.core.groups.Tuple.tuple("version", "2"));
		assertThat(inference.getEvents()).extracting((event) -> event.getName())
			.containsExactly("permitted", "dequeued", "entered");
		SpanData http = finished((span) -> span.getSpanId().equals(inference.getParentSpanId()));
		assertThat(http.getTraceId()).isEqualTo(inference.getTraceId());
		assertThat(http.getName()).startsWith("http post");
		assertThat(inference.getStartEpochNanos()).isGreaterThanOrEqualTo(http.getStartEpochNanos());
		assertThat(inference.getEndEpochNanos()).isLessThanOrEqualTo(http.getEndEpochNanos());
	}

	@Test
	void aGrpcInferenceIsASpanInsideItsCallsSpan() {
		ByteBuffer features = ByteBuffer.allocate(10 * RestaurantFeatures.COUNT * 4).order(ByteOrder.LITTLE_ENDIAN);
		for (int i = 0; i < 10 * RestaurantFeatures.COUNT; i++) {
			features.putFloat((i % 7) / 7f);
		}
		ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", this.grpcPort.get())
			.usePlaintext()
			.build();
		try {
			ModelInferResponse response = GRPCInferenceServiceGrpc.newBlockingStub(channel)
				.withDeadlineAfter(10, TimeUnit.SECONDS)
				.modelInfer(ModelInferRequest.newBuilder()
					.setModelName("restaurant-ranker")
					.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
						.setName("features")
						.setDatatype("FP32")
						.addShape(10)
						.addShape(RestaurantFeatures.COUNT))
					.addRawInputContents(ByteString.copyFrom(features.array()))
					.build());
			assertThat(response.getModelVersion()).isEqualTo("2");
		}
		finally {
			channel.shutdownNow();
		}
		SpanData call = finished((span) -> span.getName().contains("GRPCInferenceService/ModelInfer"));
		SpanData inference = finished((span) -> span.getName().equals("infer restaurant-ranker")
				&& span.getParentSpanId().equals(call.getSpanId()));
		assertThat(inference.getTraceId()).isEqualTo(call.getTraceId());
	}

	/**
	 * Waits for the exporter to have a finished span that matches, and returns it (the batch processor exports
	 * every few seconds).
	 */
	private SpanData finished(Predicate<SpanData> matching) {
		return await().atMost(Duration.ofSeconds(30))
			.until(() -> this.exporter.getFinishedSpanItems().stream().filter(matching).findFirst().orElse(null),
					(span) -> span != null);
	}

}
