package io.github.modelregistry.test;

import java.util.List;
import java.util.Set;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.autoconfigure.ModelRegistryProperties;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistryCustomizer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;

/**
 * Serves a test's {@link StubModel} beans from the auto-configured registry, and leaves out the configured models
 * the test did not pick ({@link AutoConfigureModelRegistry#models()}). Imported by
 * {@link AutoConfigureModelRegistry} only, never by an application's own auto-configuration.
 * <p>
 * Its two customisers frame the application's: the first removes the configured models not picked, the last adds
 * every stub, so that a stub replaces a configured model or one a customiser added under the same name. A stub
 * with a configured model's name is held by that model's configured strategy, others by
 * {@code model-registry.strategy}.
 */
@AutoConfiguration(before = ModelRegistryAutoConfiguration.class)
public final class ModelRegistryTestAutoConfiguration {

	/** The property {@link AutoConfigureModelRegistry#models()} is mapped to. */
	static final String MODELS_PROPERTY = "model-registry.test.models";

	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	ModelRegistryCustomizer unpickedModelsModelRegistryCustomizer(Environment environment) {
		Set<String> picked = Set.copyOf(Binder.get(environment)
			.bind(MODELS_PROPERTY, Bindable.listOf(String.class))
			.orElse(List.of()));
		return (builder) -> {
			if (!picked.contains("*")) {
				for (ModelDefinition configured : builder.models()) {
					if (!picked.contains(configured.name())) {
						builder.removeModel(configured.name());
					}
				}
			}
		};
	}

	@Bean
	@Order(Ordered.LOWEST_PRECEDENCE)
	ModelRegistryCustomizer stubModelsModelRegistryCustomizer(ModelRegistryProperties properties,
			ObjectProvider<StubModel> stubs) {
		return (builder) -> stubs.orderedStream()
			.forEach((stub) -> builder.model(stub, properties.strategyOf(stub.name())));
	}

}
