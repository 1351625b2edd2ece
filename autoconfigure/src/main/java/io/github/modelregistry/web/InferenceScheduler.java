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

	/**
	 * @param threads the most inferences running at once
	 * @param queueCapacity the most inferences waiting for a thread; more are rejected
	 */
	public InferenceScheduler(int threads, int queueCapacity) {
		this.threads = threads;
		this.scheduler = Schedulers.newBoundedElastic(threads, queueCapacity, THREAD_PREFIX, 60, true);
	}

	/**
	 * Runs blocking or CPU-bound work on the inference pool.
	 */
	public <T> Mono<T> run(Callable<T> work) {
		return Mono.fromCallable(work).subscribeOn(this.scheduler);
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
