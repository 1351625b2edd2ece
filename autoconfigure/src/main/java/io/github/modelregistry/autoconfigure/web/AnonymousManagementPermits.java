package io.github.modelregistry.autoconfigure.web;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Semaphore;

/**
 * How many Actuator calls without credentials may run at once on a port, shared by each web stack's filter: one
 * semaphore, taken without waiting; a call beyond the bound is answered 503 with {@code Retry-After: 1} and
 * {@link #busyBody()} at once, without running. Probes and a Prometheus server call one at a time; a client that loops
 * on scrapes from many connections is what this stops from taking the threads and cores inference needs.
 */
public final class AnonymousManagementPermits {

	/** The {@code Retry-After} of a refused call, in seconds. */
	public static final String RETRY_AFTER_SECONDS = "1";

	private static final byte[] BUSY = ("{\"error\":\"Too many Actuator calls without credentials at once "
			+ "(model-registry.web.anonymous-management-calls): retry after a second, or authenticate\"}")
		.getBytes(StandardCharsets.UTF_8);

	private final Semaphore permits;

	/**
	 * @param permits how many anonymous calls may run at once
	 */
	public AnonymousManagementPermits(int permits) {
		this.permits = new Semaphore(permits);
	}

	/**
	 * Takes a permit if one is free, without waiting.
	 * @return whether the call may run; if so, {@link #release()} once it has ended
	 */
	public boolean tryAcquire() {
		return this.permits.tryAcquire();
	}

	/**
	 * Gives back a permit taken by {@link #tryAcquire()}.
	 */
	public void release() {
		this.permits.release();
	}

	/**
	 * Returns how many anonymous calls could start now.
	 */
	public int availablePermits() {
		return this.permits.availablePermits();
	}

	/**
	 * Returns the JSON body of a refused call. Shared: written as it is, never changed.
	 */
	public static byte[] busyBody() {
		return BUSY;
	}

}
