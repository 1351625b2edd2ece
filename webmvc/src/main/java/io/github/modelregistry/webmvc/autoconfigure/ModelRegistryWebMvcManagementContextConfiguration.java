package io.github.modelregistry.webmvc.autoconfigure;

import io.github.modelregistry.autoconfigure.ModelRegistryWebProperties;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.webmvc.internal.AnonymousManagementCalls;
import io.github.modelregistry.webmvc.internal.BodilessModelWrites;
import io.github.modelregistry.webmvc.internal.TomcatConnectionGuards;
import io.github.modelregistry.webmvc.internal.V2RepositoryServlet;
import jakarta.servlet.http.HttpServlet;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The management server's own port in a servlet application, when it has one ({@code management.server.port}): the
 * same Tomcat time-outs as the application's server (Kubernetes probes use this port, and a client that holds its
 * connections fails them), the same bound on anonymous Actuator calls, and the V2 model repository extension when
 * {@code model-registry.web.repository-enabled} is set. The V2 inference servlet is the application context's, and
 * is never served here.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ HttpServlet.class, ServletRegistrationBean.class })
@EnableConfigurationProperties(ModelRegistryWebProperties.class)
public final class ModelRegistryWebMvcManagementContextConfiguration {

	/**
	 * Bounds the Actuator calls without credentials that run at once on the management server's port.
	 */
	@Bean
	FilterRegistrationBean<AnonymousManagementCalls> modelRegistryManagementAnonymousCalls(
			ModelRegistryWebProperties web) {
		FilterRegistrationBean<AnonymousManagementCalls> registration = new FilterRegistrationBean<>(
				new AnonymousManagementCalls(web.getAnonymousManagementCalls(), ""));
		registration.setName("modelRegistryManagementAnonymousCalls");
		return registration;
	}

	/**
	 * Lets a write to the models endpoint come without a body, on the management server's port.
	 */
	@Bean
	FilterRegistrationBean<BodilessModelWrites> modelRegistryManagementBodilessModelWrites(Environment environment) {
		FilterRegistrationBean<BodilessModelWrites> registration = new FilterRegistrationBean<>(
				new BodilessModelWrites(ModelRegistryWebMvcAutoConfiguration.actuatorBasePath(environment)));
		registration.setName("modelRegistryManagementBodilessModelWrites");
		return registration;
	}

	@Bean
	@ConditionalOnBean(ModelRegistry.class)
	@ConditionalOnBooleanProperty(name = "model-registry.web.repository-enabled")
	ServletRegistrationBean<V2RepositoryServlet> v2RepositoryServletRegistration(ModelRegistry modelRegistry) {
		ServletRegistrationBean<V2RepositoryServlet> registration = new ServletRegistrationBean<>(
				new V2RepositoryServlet(modelRegistry), "/v2/repository/*");
		registration.setName("v2Repository");
		return registration;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConfigurableTomcatWebServerFactory.class, org.apache.catalina.startup.Tomcat.class })
	@ConditionalOnBooleanProperty(name = "model-registry.web.connection-guards", matchIfMissing = true)
	static class ManagementTomcatGuardsConfiguration {

		/**
		 * The management context's server factory is its own, which the application's customizers never reach: the
		 * guards are added to it here.
		 */
		@Bean
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> modelRegistryManagementTomcatGuards(
				ModelRegistryWebProperties web, Environment environment) {
			TomcatConnectionGuards guards = ModelRegistryWebMvcAutoConfiguration.TomcatGuardsConfiguration.guards(web,
					environment);
			return (factory) -> factory.addConnectorCustomizers(guards);
		}

	}

}
