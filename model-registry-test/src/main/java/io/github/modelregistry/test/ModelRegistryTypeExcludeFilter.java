package io.github.modelregistry.test;

import java.util.Set;

import io.github.modelregistry.registry.ModelRegistryCustomizer;

import org.springframework.boot.test.context.filter.annotation.StandardAnnotationCustomizableTypeExcludeFilter;

/**
 * The components a {@link ModelRegistryTest} scans: {@link ModelRegistryCustomizer}s by default, and what its
 * filters add.
 */
final class ModelRegistryTypeExcludeFilter extends StandardAnnotationCustomizableTypeExcludeFilter<ModelRegistryTest> {

	private static final Set<Class<?>> DEFAULT_INCLUDES = Set.of(ModelRegistryCustomizer.class);

	ModelRegistryTypeExcludeFilter(Class<?> testClass) {
		super(testClass);
	}

	@Override
	protected Set<Class<?>> getKnownIncludes() {
		return DEFAULT_INCLUDES;
	}

}
