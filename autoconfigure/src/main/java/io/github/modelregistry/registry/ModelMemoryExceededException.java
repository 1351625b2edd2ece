package io.github.modelregistry.registry;

/**
 * A version was not loaded because its native memory would pass the registry's budget
 * ({@code model-registry.memory.max}). Nothing was loaded; what served before goes on serving.
 */
public class ModelMemoryExceededException extends ModelRegistryException {

	public ModelMemoryExceededException(String model, long version, long leastBytes, long chargedBytes,
			long maxBytes) {
		super("Model '" + model + "' version " + version + " needs at least " + mb(leastBytes) + " of native memory, "
				+ "and the models loaded are charged " + mb(chargedBytes) + " of the budget of " + mb(maxBytes)
				+ " (model-registry.memory.max): unload a model or raise the budget", null, null);
	}

	private static String mb(long bytes) {
		return String.format(java.util.Locale.ROOT, "%.1f MB", bytes / (1024.0 * 1024.0));
	}

}
