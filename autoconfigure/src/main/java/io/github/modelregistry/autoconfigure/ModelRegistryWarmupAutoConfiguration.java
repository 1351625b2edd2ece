package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.WarmupRequestReader;
import io.github.modelregistry.web.V2WarmupRequestReader;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * Auto-configuration of warm-up requests read from each version's {@code warmup/*.json}, in the V2 request format
 * the web face decodes. Kept apart from {@link ModelRegistryAutoConfiguration} so that the core configuration never
 * depends on a face: without Jackson, versions are warmed up with one generated request.
 *
 * @author model-registry
 */
@AutoConfiguration(before = ModelRegistryAutoConfiguration.class)
@ConditionalOnClass({ ModelRegistry.class, tools.jackson.core.JsonParser.class })
public final class ModelRegistryWarmupAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	WarmupRequestReader warmupRequestReader(ResourceLoader resourceLoader) {
		return new V2WarmupRequestReader(ResourcePatternUtils.getResourcePatternResolver(resourceLoader),
				Integer.MAX_VALUE);
	}

}
