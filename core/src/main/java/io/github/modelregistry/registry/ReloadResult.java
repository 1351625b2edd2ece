package io.github.modelregistry.registry;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * What a reload did.
 *
 * @param model the model name
 * @param outcome whether the new version serves
 * @param previousVersion the version serving before, or {@code null} if none was
 * @param version the version serving after: the new one, or the previous one if the reload failed or was refused
 * @param requestedVersion the version asked for, or {@code null} for the latest
 * @param took how long the reload took
 * @param message what happened, in words
 */
public record ReloadResult(String model, Outcome outcome, @Nullable Long previousVersion, @Nullable Long version,
		@Nullable Long requestedVersion, Duration took, String message) {

	/**
	 * How a reload ended.
	 */
	public enum Outcome {

		/** The new version serves. */
		RELOADED,

		/** Loading failed; the previous version keeps serving. */
		FAILED,

		/** The version asked for is not in the model's location; the previous version keeps serving. */
		NOT_FOUND,

		/** The strategy never replaces its model ({@code static}). */
		REFUSED

	}

}
