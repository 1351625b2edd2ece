package io.github.modelregistry.registry;

import java.util.List;
import java.util.Map;

import io.github.modelregistry.tensor.Tensor;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.test.simple.SimpleSpan;
import io.micrometer.tracing.test.simple.SimpleTracer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Each inference is one Micrometer observation, {@code model.inference}: the same instrumentation gives the timer
 * (through a meter handler) and the span (through a tracing one), with the version on the span only and the phases
 * as span events (Micrometer's test registry keeps no events: the in-memory tracer's spans show them).
 */
class InferenceObservationTests {

	private final TestObservationRegistry observations = TestObservationRegistry.create();

	private ModelRegistry registry;

	private ModelRegistry start(ObservationRegistry observationRegistry, ModelRegistry.Builder builder) {
		this.registry = builder.model(new DoublingModel("doubler", 4)).observationRegistry(observationRegistry).build();
		this.registry.start();
		return this.registry;
	}

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	private static List<Tensor> input(float value) {
		return List.of(Tensor.ofFloats("x", new long[] { 1 }, value));
	}

	@Test
	void aSuccessfulInferenceIsObservedWithItsKeysAndPhases() {
		start(this.observations, ModelRegistry.builder()).infer("doubler", null, input(1), List.of());
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("model.inference", 1)
			.hasObservationWithNameEqualTo("model.inference")
			.that()
			.hasContextualNameEqualTo("infer doubler")
			.hasLowCardinalityKeyValue("model", "doubler")
			.hasLowCardinalityKeyValue("strategy", "sharded-rcu")
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasHighCardinalityKeyValue("version", "4")
			.doesNotHaveError()
			.hasBeenStarted()
			.hasBeenStopped()
			.satisfies((view) -> {
				InferenceObservationContext context = (InferenceObservationContext) view;
				assertThat(context.getVersion()).isEqualTo(4);
				assertThat(context.getPermitNanos()).isNotNegative();
				assertThat(context.getQueueNanos()).isNotNegative();
				assertThat(context.getHolderNanos()).isNotNegative();
				assertThat(context.getRunNanos()).isPositive();
			});
	}

	@Test
	void anAsynchronousInferenceOnThePoolIsObservedOnceStopped() {
		start(this.observations, ModelRegistry.builder().inferenceThreads(1))
			.inferAsync("doubler", 4L, input(2), List.of())
			.join();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("outcome", "success")
			.hasHighCardinalityKeyValue("version", "4")
			.hasBeenStopped();
	}

	@Test
	void aBadRequestAndAVersionNotServedAreObservedWithTheirOutcomeAndError() {
		ModelRegistry registry = start(this.observations, ModelRegistry.builder());
		assertThatExceptionOfType(InvalidInferenceRequestException.class)
			.isThrownBy(() -> registry.infer("doubler", null, List.of(Tensor.ofFloats("z", new long[] { 1 }, 1)),
					List.of()));
		assertThatExceptionOfType(ModelVersionNotServedException.class)
			.isThrownBy(() -> registry.infer("doubler", 9L, input(1), List.of()));
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasNumberOfObservationsWithNameEqualTo("model.inference", 2)
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("outcome", "invalid")
				.hasHighCardinalityKeyValue("version", "4")
				.assertThatError()
				.isInstanceOf(InvalidInferenceRequestException.class))
			.hasAnObservation((observation) -> observation.hasLowCardinalityKeyValue("outcome", "not_found")
				.hasHighCardinalityKeyValue("version", "none")
				.assertThatError()
				.isInstanceOf(ModelVersionNotServedException.class));
	}

	@Test
	void theCallersObservationIsTheParent() {
		ModelRegistry registry = start(this.observations, ModelRegistry.builder());
		Observation request = Observation.start("http.server.requests", this.observations);
		try (Observation.Scope scope = request.openScope()) {
			registry.infer("doubler", null, input(1), List.of());
		}
		request.stop();
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasObservationWithNameEqualTo("model.inference")
			.that()
			.hasParentObservationEqualTo(request);
	}

	@Test
	void aConventionRenamesTheKeys() {
		start(this.observations, ModelRegistry.builder().observationConvention(new DefaultInferenceObservationConvention() {

			@Override
			public KeyValues getLowCardinalityKeyValues(InferenceObservationContext context) {
				return super.getLowCardinalityKeyValues(context).and("team", "ranking");
			}

		})).infer("doubler", null, input(1), List.of());
		TestObservationRegistryAssert.assertThat(this.observations)
			.hasSingleObservationThat()
			.hasLowCardinalityKeyValue("team", "ranking")
			.hasLowCardinalityKeyValue("model", "doubler");
	}

	@Test
	void theTimerAndTheSpanComeFromTheSameObservation() {
		MeterRegistry meters = new SimpleMeterRegistry();
		SimpleTracer tracer = new SimpleTracer();
		ObservationRegistry observationRegistry = ObservationRegistry.create();
		observationRegistry.observationConfig()
			.observationHandler(new DefaultMeterObservationHandler(meters))
			.observationHandler(new DefaultTracingObservationHandler(tracer));
		ModelRegistry registry = start(observationRegistry, ModelRegistry.builder());
		for (int i = 0; i < 3; i++) {
			registry.infer("doubler", null, input(i), List.of());
		}
		Timer timer = meters.get("model.inference")
			.tags("model", "doubler", "strategy", "sharded-rcu", "outcome", "success")
			.timer();
		assertThat(timer.count()).isEqualTo(3);
		assertThat(meters.find("model.inference").tagKeys("version").timer()).isNull();
		assertThat(tracer.getSpans()).hasSize(3).allSatisfy((span) -> {
			assertThat(span.getName()).isEqualTo("infer doubler");
			assertThat(span.getTags()).containsAllEntriesOf(Map.of("model", "doubler", "version", "4", "outcome",
					"success", "strategy", "sharded-rcu"));
			assertThat(span.getEvents()).extracting(Map.Entry::getValue)
				.containsExactly("permitted", "dequeued", "entered");
			assertThat(span.getEvents()).extracting(Map.Entry::getKey).isSorted();
		});
		assertThat(tracer.getSpans()).extracting(SimpleSpan::getError).containsOnlyNulls();
	}

	@Test
	void aPredicateThatRefusesTheObservationTurnsItOff() {
		// What management.observations.enable.model.inference=false registers in a Spring Boot application
		this.observations.observationConfig()
			.observationPredicate((name, context) -> !name.startsWith("model.inference"));
		start(this.observations, ModelRegistry.builder()).infer("doubler", null, input(1), List.of());
		TestObservationRegistryAssert.assertThat(this.observations).doesNotHaveAnyObservation();
	}

	@Test
	void withoutAnObservationRegistryNothingIsObserved() {
		ModelRegistry registry = start(ObservationRegistry.NOOP, ModelRegistry.builder());
		assertThat(registry.infer("doubler", null, input(1), List.of()).outputs().get(0).floats()).containsExactly(2f);
		assertThat(InferenceObservation.start(ObservationRegistry.NOOP, null, null)).isSameAs(InferenceObservation.NONE);
	}

}
