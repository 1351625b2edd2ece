package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

import io.github.modelregistry.holder.ModelHolder;
import io.github.modelregistry.registry.InferenceProtection.Permit;
import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import io.github.modelregistry.tensor.InferenceModel;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Admission and dispatch of inferences: what runs between a caller's request and the model.
 * <p>
 * <strong>Admission</strong> checks, in this order and before any work, that the registry runs, that the model is
 * still registered, that the version asked for is served, and asks the model's protection for a permit without
 * waiting; each refusal is observed with its outcome and thrown as one of the registry's exceptions. What passes is
 * an {@link Inference}: the permit, the holder, the observation, released exactly once whatever happens.
 * <p>
 * <strong>Dispatch</strong> of an asynchronous inference, first that applies: the model's batcher when it can merge
 * the request; the caller's thread when {@link CallerRuns} allows (a fast model on a holder whose reads never wait);
 * else the bounded inference pool, whose full queue is a {@link ModelOverloadedException}. The model's time limit is
 * scheduled on the pool's timer once the answer is on its way, and cancelled when it arrives.
 */
final class Admission {

	private final Registrations registrations;

	private final InferencePool pool;

	private final List<ModelRegistryObserver> observers;

	private final ObservationRegistry observationRegistry;

	private final @Nullable InferenceObservationConvention observationConvention;

	Admission(Registrations registrations, InferencePool pool, List<ModelRegistryObserver> observers,
			ObservationRegistry observationRegistry, @Nullable InferenceObservationConvention observationConvention) {
		this.registrations = registrations;
		this.pool = pool;
		this.observers = observers;
		this.observationRegistry = observationRegistry;
		this.observationConvention = observationConvention;
	}

	/**
	 * Runs one inference on the calling thread.
	 */
	InferenceResult infer(String model, @Nullable Long version, InferenceRequest request) {
		Inference inference;
		try {
			inference = admit(this.registrations.require(model), version, request);
		}
		catch (RuntimeException ex) {
			request.whenDone().run();
			throw ex;
		}
		return inference.run();
	}

	/**
	 * Runs one inference off the calling thread, or on it when that is cheaper; refusals complete the future at once.
	 */
	CompletableFuture<InferenceResult> inferAsync(String model, @Nullable Long version, InferenceRequest request) {
		Inference inference;
		ServedModel entry;
		try {
			entry = this.registrations.require(model);
			inference = admit(entry, version, request);
		}
		catch (RuntimeException ex) {
			request.whenDone().run();
			return CompletableFuture.failedFuture(ex);
		}
		Batcher batcher = entry.batcher();
		if (batcher != null) {
			// Queued to run with others, validated first; null when it cannot merge (it then runs alone, below)
			CompletableFuture<InferenceResult> batched = batcher.submit(inference);
			if (batched != null) {
				return limited(inference, batched);
			}
		}
		if (inference.mayRunOnCaller()) {
			// A fast model on a holder whose reads never wait: the run costs less than handing it to the pool and
			// its answer back (CallerRuns says when, and why the time limiter allows it)
			try {
				return CompletableFuture.completedFuture(inference.run());
			}
			catch (ModelRegistryException ex) {
				return CompletableFuture.failedFuture(ex);
			}
		}
		CompletableFuture<InferenceResult> answer = new CompletableFuture<>();
		try {
			this.pool.execute(() -> inference.runFor(answer));
		}
		catch (RejectedExecutionException ex) {
			ModelOverloadedException full = queueFull();
			inference.refused(full);
			return CompletableFuture.failedFuture(full);
		}
		return limited(inference, answer);
	}

	/**
	 * Computes something on the inference pool (a lazy model's metadata, which may have to load it first), so that
	 * the caller's thread is never held.
	 */
	<T> CompletableFuture<T> onPool(Supplier<T> work) {
		CompletableFuture<T> answer = new CompletableFuture<>();
		try {
			this.pool.execute(() -> {
				try {
					answer.complete(work.get());
				}
				catch (RuntimeException ex) {
					answer.completeExceptionally(ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(queueFull());
		}
		return answer;
	}

	int threads() {
		return this.pool.threads();
	}

	/**
	 * Applies the model's time limit, if it has one, to an answer on its way.
	 */
	private CompletableFuture<InferenceResult> limited(Inference inference, CompletableFuture<InferenceResult> answer) {
		Duration limit = inference.timeLimit();
		if (limit != null && !answer.isDone()) {
			try {
				ScheduledFuture<?> timeout = this.pool.schedule(() -> inference.timeOut(answer, limit), limit);
				answer.whenComplete((result, failure) -> timeout.cancel(false));
			}
			catch (RejectedExecutionException closing) {
				// The registry is closing: the inference finishes or is refused without a time-out
			}
		}
		return answer;
	}

	/**
	 * The inference pool's queue refused a task: the server is busy, worth retrying.
	 */
	private ModelOverloadedException queueFull() {
		return new ModelOverloadedException("Too many inferences are waiting for a thread ("
				+ this.pool.queueCapacity() + ", model-registry.inference.max-queued); retry later",
				Duration.ofSeconds(1));
	}

	/**
	 * Checks what can be checked before any work: the registry, the model, the version, and a permit.
	 */
	private Inference admit(ServedModel entry, @Nullable Long version, InferenceRequest request) {
		this.registrations.requireRunning();
		RegisteredModel registered = entry.registered();
		if (registered.isUnregistered()) {
			// Found a moment before its unregistration: it is gone for this request too
			throw this.registrations.gone(registered.name());
		}
		registered.used();
		InferenceObservation observation = InferenceObservation.start(this.observationRegistry,
				this.observationConvention, registered);
		ModelHolder<InferenceModel> holder = registered.holderFor(version);
		if (holder == null) {
			// Only a version asked for can be missing: unversioned requests always have the primary holder
			throw refused(entry, observation, InferenceOutcome.NOT_FOUND,
					registered.notServed(Objects.requireNonNull(version)));
		}
		Permit permit;
		try {
			permit = entry.protection().acquire();
		}
		catch (ModelOverloadedException ex) {
			throw refused(entry, observation, InferenceOutcome.REJECTED, ex);
		}
		catch (ModelUnavailableException ex) {
			throw refused(entry, observation, InferenceOutcome.UNAVAILABLE, ex);
		}
		return new Inference(registered, entry.protection(), holder, version, request, permit, this.observers,
				entry.callerRuns(), observation);
	}

	/**
	 * Tells the observers and the observation of an inference refused before it was admitted, and returns the
	 * refusal to throw.
	 */
	private <E extends ModelRegistryException> E refused(ServedModel entry, InferenceObservation observation,
			InferenceOutcome outcome, E refusal) {
		InferenceObservers.observe(this.observers, entry.registered(), null, 0, 0, outcome);
		observation.refused(outcome, refusal);
		return refusal;
	}

}
