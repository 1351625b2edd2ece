package io.github.modelregistry.registry;

import java.util.Locale;

/**
 * A version was not loaded because its native memory would pass the registry's budget
 * ({@code model-registry.memory.max}) and no model could be unloaded to make room. Nothing stays loaded; what served
 * before goes on serving.
 */
public class ModelMemoryExceededException extends ModelRegistryException {

	/**
	 * @param model the model
	 * @param version the version refused
	 * @param bytes what it needs: its file's size before the load, what it took once measured
	 * @param measured whether {@code bytes} was measured (the load ran, and its version was closed again)
	 * @param chargedBytes what the versions loaded are charged
	 * @param maxBytes the budget
	 */
	public ModelMemoryExceededException(String model, long version, long bytes, boolean measured, long chargedBytes,
			long maxBytes) {
		super("Model '" + model + "' version " + version + (measured ? " took " : " needs at least ") + mb(bytes)
				+ " of native memory" + (measured ? " to load" : "") + ", and the models loaded are charged "
				+ mb(chargedBytes) + " of the budget of " + mb(maxBytes) + " (model-registry.memory.max) with none "
				+ "that can be unloaded: unload a model or raise the budget", null, null);
	}

	private static String mb(long bytes) {
		return String.format(Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

}
