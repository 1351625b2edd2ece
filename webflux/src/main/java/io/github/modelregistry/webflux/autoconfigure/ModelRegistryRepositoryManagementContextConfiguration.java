package io.github.modelregistry.webflux.autoconfigure;

import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.webflux.internal.V2RepositoryHandler;
import io.github.modelregistry.webflux.internal.V2Routes;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The Open Inference Protocol's model repository extension ({@code /v2/repository/...}) on the management server's
 * own context, and so on its port only, never beside the inference API: off unless
 * {@code model-registry.web.repository-enabled} is set, and then answering only callers that the application's
 * security authenticated ({@link V2RepositoryHandler}). With no management port of its own there is no child
 * context, and the extension is not served at all.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@ConditionalOnBean(ModelRegistry.class)
@ConditionalOnBooleanProperty(name = "model-registry.web.repository-enabled")
public final class ModelRegistryRepositoryManagementContextConfiguration {

	@Bean
	RouterFunction<ServerResponse> v2RepositoryRoutes(ModelRegistry modelRegistry) {
		return V2Routes.repositoryRoutes(new V2RepositoryHandler(modelRegistry));
	}

}
