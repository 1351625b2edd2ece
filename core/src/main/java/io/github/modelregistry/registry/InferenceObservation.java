package io.github.modelregistry.registry;

import io.github.modelregistry.registry.InferenceObservationDocumentation.Events;
import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * The observation of one inference ({@link InferenceObservationDocumentation#INFERENCE}): started when the request
 * reaches the registry, stopped once, when the inference settles. Its phase events are emitted at the end, with the
 * wall-clock times their phases ended, so that a batch's run (settled by the batch, on another thread) and a single
 * run are recorded alike, and the hot path does nothing but take {@link System#nanoTime()} stamps it takes anyway.
 * With a no-op {@link ObservationRegistry} nothing is created: {@link #NONE} stands in, and each call is a return.
 * <p>
 * Not started in scope: the inference moves between threads (caller, pool, batcher, timer), and the run's own work
 * opens no observation that would need it as parent. Its parent is the caller's current observation, if any (an
 * HTTP request's, with Reactor's automatic context propagation on).
 */
class InferenceObservation {

	/** What is used when observations are off. */
	static final InferenceObservation NONE = new InferenceObservation();

	/** Names the observation unless the registry was given another convention. */
	private static final DefaultInferenceObservationConvention DEFAULTS = new DefaultInferenceObservationConvention();

	private final @Nullable Observation observation;

	private final @Nullable InferenceObservationContext context;

	private final long started;

	private InferenceObservation() {
		this.observation = null;
		this.context = null;
		this.started = 0;
	}

	private InferenceObservation(Observation observation, InferenceObservationContext context) {
		this.observation = observation;
		this.context = context;
		this.started = System.nanoTime();
	}

	/**
	 * Starts observing an inference of a model, unless observations are off.
	 */
	static InferenceObservation start(ObservationRegistry registry, @Nullable InferenceObservationConvention custom,
			RegisteredModel model) {
		if (registry.isNoop()) {
			return NONE;
		}
		InferenceObservationContext context = new InferenceObservationContext(model.name(),
				model.definition().strategy().value());
		Observation observation = InferenceObservationDocumentation.INFERENCE
			.observation(custom, DEFAULTS, () -> context, registry)
			.start();
		return observation.isNoop() ? NONE : new InferenceObservation(observation, context);
	}

	/**
	 * Stops it for an inference refused before it was admitted (not found, no permit, circuit open).
	 */
	void refused(InferenceOutcome outcome, Throwable failure) {
		Observation observation = this.observation;
		if (observation != null) {
			long now = System.nanoTime();
			this.context.ended(null, outcome, now - this.started, 0, 0, 0);
			observation.error(failure);
			observation.stop();
		}
	}

	/**
	 * Stops it for a settled inference.
	 * @param version the version that ran, or {@code null}
	 * @param outcome how it ended
	 * @param failure what it failed with, or {@code null}
	 * @param admitted when it got its permit ({@link System#nanoTime()})
	 * @param dequeued when a thread or batch began its run; 0 if none did
	 * @param entered when the holder let the run in; 0 if it never did
	 * @param end when it settled
	 */
	void settled(@Nullable Long version, InferenceOutcome outcome, @Nullable Throwable failure, long admitted,
			long dequeued, long entered, long end) {
		Observation observation = this.observation;
		if (observation == null) {
			return;
		}
		long queued = (dequeued != 0) ? dequeued : end;
		long ran = (entered != 0) ? entered : end;
		this.context.ended(version, outcome, admitted - this.started, queued - admitted, ran - queued, end - ran);
		long wallNow = System.currentTimeMillis();
		event(observation, Events.PERMITTED, wallNow, end - admitted);
		if (dequeued != 0) {
			event(observation, Events.DEQUEUED, wallNow, end - dequeued);
		}
		if (entered != 0) {
			event(observation, Events.ENTERED, wallNow, end - entered);
		}
		if (failure != null) {
			observation.error(failure);
		}
		observation.stop();
	}

	private static void event(Observation observation, Events event, long wallNow, long nanosAgo) {
		observation.event(Observation.Event.of(event.getName(), event.getContextualName(),
				wallNow - nanosAgo / 1_000_000));
	}

}
