package io.github.modelregistry.autoconfigure.web;

import org.springframework.context.SmartLifecycle;

/**
 * Tells a V2 REST face that the server is shutting down just before the web server's graceful shutdown begins
 * (whose phase, {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}, is one below this one's), so that
 * the shutdown waits for inferences, not for uploads that stalled. Each face gives the action that stops its body
 * reads (the WebFlux handler's, the servlet's).
 */
public final class V2BodyReadsLifecycle implements SmartLifecycle {

	/** Stopped before the web server's graceful shutdown, which stops at {@code DEFAULT_PHASE - 1024}. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024 + 1;

	private final Runnable stopReadingBodies;

	private volatile boolean running;

	/**
	 * @param stopReadingBodies what the face does when the server begins to shut down
	 */
	public V2BodyReadsLifecycle(Runnable stopReadingBodies) {
		this.stopReadingBodies = stopReadingBodies;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.stopReadingBodies.run();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
