package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's two background threads and what runs on them. {@code model-loader} runs background loads (retried
 * every retry interval until they succeed), polls and listing refreshes, one at a time, so that polls never block a
 * request and never run two loads at once. {@code model-retirer} closes replaced versions once their last request has
 * left, never on a request thread. Both are daemon threads; {@link #close()} stops the loader at once and lets the
 * retirer finish what it was given.
 */
final class BackgroundWork {

	private static final Logger logger = LoggerFactory.getLogger(BackgroundWork.class);

	private final ExecutorService retirer = Executors.newSingleThreadExecutor((task) -> daemon(task, "model-retirer"));

	private final ScheduledExecutorService loader = Executors
		.newSingleThreadScheduledExecutor((task) -> daemon(task, "model-loader"));

	private final Duration retryInterval;

	private final Duration listingInterval;

	BackgroundWork(Duration retryInterval, Duration listingInterval) {
		this.retryInterval = retryInterval;
		this.listingInterval = listingInterval;
	}

	ExecutorService retirer() {
		return this.retirer;
	}

	ScheduledExecutorService loader() {
		return this.loader;
	}

	/**
	 * Starts a started model's background work: its background load, and its polls or listing refreshes.
	 */
	void schedule(ServedModel model) {
		ModelDefinition definition = model.registered().definition();
		if (definition.load() == LoadMode.BACKGROUND) {
			loadInBackground(model.registered());
		}
		Duration poll = definition.pollInterval();
		try {
			if (poll != null) {
				model.schedule().set(this.loader.scheduleWithFixedDelay(model.registered()::poll, poll.toMillis(),
						poll.toMillis(), TimeUnit.MILLISECONDS));
			}
			else {
				// Polls list the location themselves; without them the listing that status shows is refreshed here
				model.schedule().set(this.loader.scheduleWithFixedDelay(model.registered()::refreshListing,
						this.listingInterval.toMillis(), this.listingInterval.toMillis(), TimeUnit.MILLISECONDS));
			}
		}
		catch (RejectedExecutionException closing) {
			// The registry is closing: nothing to poll for
		}
	}

	/**
	 * Loads a background model on the loader thread, retrying until it succeeds.
	 */
	private void loadInBackground(RegisteredModel model) {
		try {
			this.loader.execute(() -> {
				if (model.isUnregistered()) {
					return;
				}
				try {
					model.forgetTarget();
					model.loadNow();
				}
				catch (Exception ex) {
					logger.warn("Background load of model '{}' failed; retrying in {} ms: {}", model.name(),
							this.retryInterval.toMillis(), ex.getMessage());
					try {
						this.loader.schedule(() -> loadInBackground(model), this.retryInterval.toMillis(),
								TimeUnit.MILLISECONDS);
					}
					catch (RejectedExecutionException shuttingDown) {
						// The registry is closing: stop retrying
					}
				}
			});
		}
		catch (RejectedExecutionException shuttingDown) {
			// The registry is closing: nothing to load for
		}
	}

	/**
	 * Stops the loader at once (a load in progress is interrupted).
	 */
	void stopLoading() {
		this.loader.shutdownNow();
	}

	/**
	 * Waits for the retirer to close what it was given, and for the loader to stop.
	 */
	void close() {
		this.loader.shutdownNow();
		this.retirer.shutdown();
		try {
			if (!this.retirer.awaitTermination(30, TimeUnit.SECONDS)) {
				logger.warn("Replaced models were still closing after 30 s");
			}
			this.loader.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

}
