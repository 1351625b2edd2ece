package io.github.modelregistry.autoconfigure.web;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.protocol.V2Errors;
import io.github.modelregistry.registry.ModelRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

/**
 * Auto-configuration of problem details for the registry's exceptions in the application's own controllers, on
 * either web stack.
 */
@AutoConfiguration(after = ModelRegistryAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnClass({ ProblemDetail.class, V2Errors.class })
@ConditionalOnBean(ModelRegistry.class)
@ConditionalOnBooleanProperty(name = "model-registry.web.problem-details", matchIfMissing = true)
public final class ModelRegistryProblemDetailsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RegistryExceptionHandler modelRegistryExceptionHandler() {
		return new RegistryExceptionHandler();
	}

}
