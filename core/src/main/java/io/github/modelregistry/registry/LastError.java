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

	/**
	 * A failure's message as a caller may read it: the model's location on the server (as configured, as a path and
	 * as a {@code file:} URL) replaced by the model's name, so that a client learns which version folder is wrong
	 * ({@code ranker/3/model.onnx}) but not where the server keeps its files. Logs and the status operators read keep
	 * the whole message.
	 * @param message the failure's message
	 * @param definition the model whose load failed
	 * @return the message without the location
	 */
	static String withoutLocation(String message, ModelDefinition definition) {
		String location = definition.location();
		String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
		String result = message;
		for (String form : new String[] { location, "file://" + path, "file:" + path, path }) {
			if (form.length() > 1) {
				result = result.replace(form, definition.name());
			}
		}
		return result;
	}

	record Failure(String message, Instant at) {
	}

}
