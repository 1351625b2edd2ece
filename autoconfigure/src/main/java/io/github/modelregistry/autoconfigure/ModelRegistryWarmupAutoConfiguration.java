package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.WarmupRequestReader;
import io.github.modelregistry.protocol.V2WarmupRequestReader;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of warm-up requests read from each version's {@code warmup/*.json}, in the V2 request format
 * the protocol module decodes. Kept apart from {@link ModelRegistryAutoConfiguration} so that the core configuration
 * never depends on the protocol: without {@code model-registry-protocol} (an in-process service with no face),
 * versions are warmed up with one generated request. The reader reads the files through each version's source, so
 * it works wherever the repository keeps its versions.
 */
@AutoConfiguration(before = ModelRegistryAutoConfiguration.class)
@ConditionalOnClass({ ModelRegistry.class, V2WarmupRequestReader.class })
public final class ModelRegistryWarmupAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WarmupRequestReader warmupRequestReader() {
		return new V2WarmupRequestReader();
	}

}
