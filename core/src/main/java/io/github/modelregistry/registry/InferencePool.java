package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where asynchronous inference runs: a fixed pool sized to the processors with a bounded queue, never a Netty
 * event-loop thread (a CPU-bound call there stalls every connection the loop serves), and the timer that enforces
 * time limits. A full queue refuses at once; nothing waits for room.
 * <p>
 * The threads are daemons, so that a registry that was never closed does not keep a JVM alive. What keeps a
 * native session from being closed under a running inference at exit is not the threads but the holders: closing
 * the registry (Spring closes it from its shutdown hook, before the JVM runs its exit handlers) stops this pool
 * taking work, waits for it to drain, and each holder's close waits for its in-flight reads before the session is
 * closed.
 */
final class InferencePool implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	/** Prefix of the inference threads' names. */
	static final String THREAD_PREFIX = "model-inference";

	private final int threads;

	private final int queueCapacity;

	private final ThreadPoolExecutor executor;

	private final ScheduledThreadPoolExecutor timer;

	InferencePool(int threads, int queueCapacity) {
		this.threads = threads;
		this.queueCapacity = queueCapacity;
		this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(queueCapacity), daemons(THREAD_PREFIX), new ThreadPoolExecutor.AbortPolicy());
		this.executor.allowCoreThreadTimeOut(true);
		this.timer = new ScheduledThreadPoolExecutor(1, daemons("model-inference-timer"));
		// Most inferences finish in time: their time-outs are cancelled, and must not pile up in the timer's queue
		this.timer.setRemoveOnCancelPolicy(true);
	}

	private static ThreadFactory daemons(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (task) -> {
			Thread thread = new Thread(task, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

	/**
	 * Runs {@code work} on the pool.
	 * @throws java.util.concurrent.RejectedExecutionException if the queue is full or the pool is closed
	 */
	void execute(Runnable work) {
		this.executor.execute(work);
	}

	/**
	 * Runs {@code task} once {@code delay} has passed, unless cancelled first.
	 */
	ScheduledFuture<?> schedule(Runnable task, Duration delay) {
		return this.timer.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
	}

	int threads() {
		return this.threads;
	}

	int queueCapacity() {
		return this.queueCapacity;
	}

	/**
	 * Takes no more work and waits for what was admitted to finish.
	 */
	@Override
	public void close() {
		this.executor.shutdown();
		this.timer.shutdownNow();
		try {
			if (!this.executor.awaitTermination(30, TimeUnit.SECONDS)) {
				logger.warn("Inferences were still running 30 s after the registry started closing");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
