package io.github.modelregistry.web;

import java.util.concurrent.Callable;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * Where inference runs: a bounded pool sized to the processors, never a Netty event-loop thread (a CPU-bound call
 * there stalls every connection the loop serves). Inject it to run your own model calls the same way:
 * {@code inferenceScheduler.run(() -> registry.infer(...))}.
 */
public class InferenceScheduler implements AutoCloseable {

	/** Prefix of the pool's thread names. */
	public static final String THREAD_PREFIX = "model-inference";

	private final Scheduler scheduler;

	private final int threads;

	private final InferenceGuard guard;

	/**
	 * @param threads the most inferences running at once
	 * @param queueCapacity the most inferences waiting for a thread; more are rejected
	 */
	public InferenceScheduler(int threads, int queueCapacity) {
		this(threads, queueCapacity, InferenceGuard.NONE);
	}

	/**
	 * @param threads the most inferences running at once
	 * @param queueCapacity the most inferences waiting for a thread; more are rejected
	 * @param guard what protects each model's inferences (bulkhead, time limit, circuit breaker)
	 */
	public InferenceScheduler(int threads, int queueCapacity, InferenceGuard guard) {
		this.threads = threads;
		this.guard = guard;
		this.scheduler = Schedulers.newBoundedElastic(threads, queueCapacity, THREAD_PREFIX, 60, true);
	}

	/**
	 * Runs blocking or CPU-bound work on the inference pool, unguarded.
	 */
	public <T> Mono<T> run(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(this.scheduler);
	}

	/**
	 * Runs inference for {@code model} on the pool, protected by the model's guard: overload, time-outs and an
	 * open circuit fail with a {@link V2Exception} carrying the status to answer (429, 504, 503).
	 */
	public <T> Mono<T> run(String model, Callable<T> work) {
		return guard(model, run(work));
	}

	/**
	 * Protects any inference pipeline for {@code model} with the model's guard.
	 */
	public <T> Mono<T> guard(String model, Mono<T> inference) {
		return this.guard.guard(model, inference);
	}

	/**
	 * Returns the underlying scheduler, for {@code publishOn} and {@code subscribeOn}.
	 */
	public Scheduler scheduler() {
		return this.scheduler;
	}

	public int threads() {
		return this.threads;
	}

	@Override
	public void close() {
		this.scheduler.dispose();
	}

}
