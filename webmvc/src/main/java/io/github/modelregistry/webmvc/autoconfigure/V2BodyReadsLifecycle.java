package io.github.modelregistry.webmvc.autoconfigure;

import io.github.modelregistry.webmvc.internal.V2InferenceServlet;

import org.springframework.context.SmartLifecycle;

/**
 * Tells the V2 servlet that the server is shutting down just before the web server's graceful shutdown begins
 * (whose phase, {@code WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE}, is one below this one's), so that
 * the shutdown waits for inferences, not for uploads that stalled.
 */
final class V2BodyReadsLifecycle implements SmartLifecycle {

	/** Stopped before the web server's graceful shutdown, which stops at {@code DEFAULT_PHASE - 1024}. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024 + 1;

	private final V2InferenceServlet servlet;

	private volatile boolean running;

	V2BodyReadsLifecycle(V2InferenceServlet servlet) {
		this.servlet = servlet;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.servlet.stopReadingBodies();
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
