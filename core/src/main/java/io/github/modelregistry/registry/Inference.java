package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.modelregistry.holder.HolderClosedException;
import io.github.modelregistry.holder.ModelHolder;
import io.github.modelregistry.registry.InferenceProtection.ModelProtection;
import io.github.modelregistry.registry.InferenceProtection.Permit;
import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.InvalidTensorException;
import org.jspecify.annotations.Nullable;

/**
 * One admitted inference: it holds a permit, which is settled once and released once.
 * <p>
 * Settling decides the outcome the circuit breaker and the observers see, with one compare-and-set on
 * {@code settled}: the run settles when it ends, the time-out when it fires, a skipped run (its caller gone before
 * it started) when it is dequeued. Only the winner reports, and a time-out completes the caller's future only if it
 * won, so the caller always sees the outcome that was counted. Releasing happens once, when the work has really
 * ended: a timed-out run keeps its permit (and its pooled inputs) until the runtime returns, because it is still
 * running.
 */
final class Inference {

	private final RegisteredModel model;

	private final ModelProtection protection;

	private final ModelHolder<InferenceModel> holder;

	private final @Nullable Long version;

	private final InferenceRequest request;

	private final Permit permit;

	private final List<ModelRegistryObserver> observers;

	private final CallerRuns callerRuns;

	private final InferenceObservation observation;

	private final long admitted = System.nanoTime();

	private final AtomicBoolean settled = new AtomicBoolean();

	Inference(RegisteredModel model, ModelProtection protection, ModelHolder<InferenceModel> holder,
			@Nullable Long version, InferenceRequest request, Permit permit, List<ModelRegistryObserver> observers,
			CallerRuns callerRuns, InferenceObservation observation) {
		this.model = model;
		this.protection = protection;
		this.holder = holder;
		this.version = version;
		this.request = request;
		this.permit = permit;
		this.observers = observers;
		this.callerRuns = callerRuns;
		this.observation = observation;
	}

	/**
	 * Whether this inference may run on the caller's thread ({@link CallerRuns}).
	 */
	boolean mayRunOnCaller() {
		return this.callerRuns.allowed();
	}

	@Nullable Duration timeLimit() {
		return this.protection.timeLimit();
	}

	/**
	 * Runs on the pool for an asynchronous caller; skips the run if the caller stopped waiting first.
	 */
	void runFor(CompletableFuture<InferenceResult> answer) {
		if (abandoned(answer)) {
			// Cancelled, or timed out while queued: nobody waits for the answer
			return;
		}
		try {
			answer.complete(run());
		}
		catch (ModelRegistryException ex) {
			answer.completeExceptionally(ex);
		}
		catch (Error ex) {
			// Never leave the caller waiting, not even on an Error; the thread's own handler reports it
			answer.completeExceptionally(ex);
			throw ex;
		}
	}

	/**
	 * The inference was refused before it ran (a full queue).
	 */
	void refused(ModelRegistryException refusal) {
		if (this.settled.compareAndSet(false, true)) {
			this.permit.ignored();
			InferenceObservers.observe(this.observers, this.model, null, 0, 0, InferenceOutcome.REJECTED);
			this.observation.settled(null, InferenceOutcome.REJECTED, refusal, this.admitted, 0, 0, System.nanoTime());
		}
		finish();
	}

	void timeOut(CompletableFuture<InferenceResult> answer, Duration limit) {
		if (answer.isDone()) {
			return;
		}
		InferenceTimeoutException timeout = new InferenceTimeoutException("Inference of model '"
				+ this.model.name() + "' took longer than " + limit.toMillis() + " ms (resilience4j.timelimiter"
				+ ".instances." + this.model.name() + ".timeout-duration)");
		if (!this.settled.compareAndSet(false, true)) {
			// The run has just settled: its answer is on its way, and what the caller sees stays what was counted
			return;
		}
		// A model too slow to answer in time is failing its callers: the circuit breaker counts it
		this.permit.failed(limit.toNanos(), timeout);
		this.protection.timedOut(limit);
		report(null, InferenceOutcome.TIMEOUT, timeout, 0, 0, System.nanoTime());
		answer.completeExceptionally(timeout);
	}

	/**
	 * Reads the model and runs it; settles and releases the permit whatever happens.
	 */
	InferenceResult run() {
		long start = System.nanoTime();
		long[] entered = { 0 };
		Long[] ran = { null };
		InferenceOutcome outcome = InferenceOutcome.ERROR;
		ModelRegistryException failure = null;
		try {
			InferenceResult result = this.holder.read((loaded) -> {
				entered[0] = System.nanoTime();
				if (this.version != null && loaded.version() != this.version) {
					// Replaced between the lookup and the read
					throw this.model.notServed(this.version);
				}
				ran[0] = loaded.version();
				return new InferenceResult(this.model.name(), loaded.version(),
						loaded.run(this.request.inputs(), this.request.outputs()));
			});
			outcome = InferenceOutcome.SUCCESS;
			return result;
		}
		catch (RuntimeException ex) {
			failure = translate(ex);
			outcome = outcome(failure);
			throw failure;
		}
		finally {
			long end = System.nanoTime();
			if (outcome == InferenceOutcome.SUCCESS) {
				this.callerRuns.ran(end - entered[0]);
			}
			settle(outcome, failure, true, start, entered[0], ran[0], end);
		}
	}

	/**
	 * Skips the run if the caller stopped waiting before it started (cancelled, or timed out while queued).
	 * @return whether it was skipped
	 */
	boolean abandoned(CompletableFuture<InferenceResult> answer) {
		if (!answer.isDone()) {
			return false;
		}
		if (this.settled.compareAndSet(false, true)) {
			// The caller went away before the run: nothing ran, nothing is counted against the model
			this.permit.ignored();
			report(null, InferenceOutcome.CANCELLED, null, 0, 0, System.nanoTime());
		}
		finish();
		return true;
	}

	/**
	 * Settles a run, this inference's own or a batch's it was part of, and releases the permit.
	 * @param outcome what the run came to
	 * @param failure what it threw, in the registry's words; {@code null} on success
	 * @param counted whether this inference tells the circuit breaker the run's outcome: a batch's run is one call,
	 * told by one of its inferences, the others' permissions handed back uncounted
	 * @param start when the run began waiting for the holder
	 * @param entered when the holder let it in; 0 if it never did
	 * @param ran the version that ran; {@code null} if none did
	 * @param end when the run ended
	 */
	void settle(InferenceOutcome outcome, @Nullable ModelRegistryException failure, boolean counted, long start,
			long entered, @Nullable Long ran, long end) {
		if (this.settled.compareAndSet(false, true)) {
			if (counted && outcome == InferenceOutcome.SUCCESS) {
				this.permit.succeeded(end - start);
			}
			else if (counted && failure != null && countsAgainstModel(failure)) {
				this.permit.failed(end - start, failure);
			}
			else {
				this.permit.ignored();
			}
			report(ran, outcome, failure, start, entered, end);
		}
		finish();
	}

	/**
	 * Tells the observers and the observation how a settled inference ended, with the same times: waiting is
	 * everything from the permit to the holder letting the run in (or to the end, if it never did).
	 * @param dequeued when the run began waiting for the holder; 0 if it never began
	 * @param entered when the holder let it in; 0 if it never did
	 */
	private void report(@Nullable Long ran, InferenceOutcome outcome, @Nullable Throwable failure, long dequeued,
			long entered, long end) {
		long wait = ((entered != 0) ? entered : end) - this.admitted;
		InferenceObservers.observe(this.observers, this.model, ran, wait, end - this.admitted, outcome);
		this.observation.settled(ran, outcome, failure, this.admitted, dequeued, entered, end);
	}

	RegisteredModel model() {
		return this.model;
	}

	ModelHolder<InferenceModel> holder() {
		return this.holder;
	}

	@Nullable Long version() {
		return this.version;
	}

	InferenceRequest request() {
		return this.request;
	}

	/** When the inference was admitted ({@link System#nanoTime()}). */
	long admitted() {
		return this.admitted;
	}

	private void finish() {
		try {
			this.request.whenDone().run();
		}
		finally {
			this.permit.release();
		}
	}

	/**
	 * Translates what the read threw into the registry's family, keeping the cause.
	 */
	ModelRegistryException translate(RuntimeException ex) {
		if (ex instanceof ModelRegistryException registry) {
			return registry;
		}
		if (ex instanceof HolderClosedException) {
			if (this.model.isUnregistered()) {
				return new ModelNotFoundException("Model '" + this.model.name() + "' was unregistered");
			}
			if (this.version != null && this.holder != this.model.holder()) {
				// The version was retired between the lookup and the read
				return this.model.notServed(this.version);
			}
			return new ModelUnavailableException("Model '" + this.model.name() + "' is closed", ex);
		}
		if (ex instanceof io.github.modelregistry.holder.ModelUnavailableException unavailable) {
			return ModelRegistry.unavailable(this.model, unavailable);
		}
		if (ex instanceof InvalidTensorException) {
			return new InvalidInferenceRequestException(ex.getMessage(), ex);
		}
		return new ModelFailedException("Model '" + this.model.name() + "' failed: " + LastError.describe(ex), ex);
	}

	private boolean countsAgainstModel(ModelRegistryException failure) {
		// A closing registry is not the model failing, nor is a load refused for want of memory (other models fill
		// the budget, not this one's fault); a model that cannot load or run is
		return !failure.isClientFault() && !(failure.getCause() instanceof HolderClosedException)
				&& !refusedForMemory(failure);
	}

	private static boolean refusedForMemory(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof ModelMemoryExceededException) {
				return true;
			}
		}
		return false;
	}

	static InferenceOutcome outcome(ModelRegistryException failure) {
		if (failure instanceof InvalidInferenceRequestException) {
			return InferenceOutcome.INVALID;
		}
		if (failure instanceof ModelNotFoundException) {
			return InferenceOutcome.NOT_FOUND;
		}
		if (failure instanceof ModelUnavailableException) {
			return InferenceOutcome.UNAVAILABLE;
		}
		return InferenceOutcome.ERROR;
	}

}
