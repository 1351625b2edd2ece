package io.github.modelregistry.registry;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The last load, reload or resolution failure of one model, kept for status after later successes.
 */
final class LastError {

	private volatile @Nullable Failure failure;

	void record(Throwable ex) {
		this.failure = new Failure(describe(ex), Instant.now());
	}

	@Nullable Failure get() {
		return this.failure;
	}

	static String describe(Throwable ex) {
		String message = ex.getMessage();
		return (message != null) ? message : ex.getClass().getSimpleName();
	}

	record Failure(String message, Instant at) {
	}

}
