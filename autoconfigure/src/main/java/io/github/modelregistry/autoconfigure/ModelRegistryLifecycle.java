package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.registry.ModelRegistry;

import org.springframework.context.SmartLifecycle;

/**
 * Starts the {@link ModelRegistry} (eager loads, background loads, pollers) when the application context starts,
 * and closes it when the context stops.
 * <p>
 * Its phase is below the web server's ({@code SmartLifecycle.DEFAULT_PHASE - 2048} in Spring Boot), so that eager
 * models have loaded before the server accepts a connection, and the registry closes only after graceful shutdown
 * has drained the requests and the server has stopped.
 */
final class ModelRegistryLifecycle implements SmartLifecycle {

	/** Below the web server's start-stop phase: start before it, stop after it. */
	static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

	private final ModelRegistry registry;

	ModelRegistryLifecycle(ModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	public void start() {
		this.registry.start();
	}

	@Override
	public void stop() {
		this.registry.close();
	}

	@Override
	public boolean isRunning() {
		return this.registry.isRunning();
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
