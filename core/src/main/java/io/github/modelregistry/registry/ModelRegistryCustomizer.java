package io.github.modelregistry.registry;

/**
 * Customises the auto-configured {@link ModelRegistry.Builder} before the registry is built: add a model in code,
 * or change one setting, without replacing the whole bean. Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order order}.
 */
@FunctionalInterface
public interface ModelRegistryCustomizer {

	/**
	 * Customises the builder.
	 * @param builder the builder, already holding what the properties configure
	 */
	void customize(ModelRegistry.Builder builder);

}
