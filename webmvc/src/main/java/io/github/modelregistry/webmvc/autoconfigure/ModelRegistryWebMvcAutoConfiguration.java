package io.github.modelregistry.webmvc.autoconfigure;

import java.time.Duration;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.autoconfigure.ModelRegistryWebProperties;
import io.github.modelregistry.autoconfigure.web.V2BodyReadsLifecycle;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.webmvc.internal.AnonymousManagementCalls;
import io.github.modelregistry.webmvc.internal.BodilessModelWrites;
import io.github.modelregistry.webmvc.internal.TomcatConnectionGuards;
import io.github.modelregistry.webmvc.internal.V2InferenceServlet;
import jakarta.servlet.http.HttpServlet;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the Open Inference Protocol (KServe V2) REST API in a servlet application (Spring MVC on
 * Tomcat, Boot's default): an asynchronous servlet at {@code <base-path>/v2/*}, a face of the {@link ModelRegistry},
 * which protects and schedules inference itself.
 */
@AutoConfiguration(after = ModelRegistryAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ HttpServlet.class, ServletRegistrationBean.class })
@ConditionalOnBean(ModelRegistry.class)
@ConditionalOnBooleanProperty(name = "model-registry.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelRegistryWebProperties.class)
public final class ModelRegistryWebMvcAutoConfiguration {

	/** Keep-alive connections are closed after this long without a request, unless server.tomcat sets it. */
	static final Duration DEFAULT_KEEP_ALIVE_TIMEOUT = Duration.ofMinutes(1);

	@Bean
	@ConditionalOnMissingBean(name = "v2InferenceServletRegistration")
	ServletRegistrationBean<V2InferenceServlet> v2InferenceServletRegistration(ModelRegistry registry,
			ModelRegistryWebProperties web, ObjectProvider<TensorBufferPool> tensorBufferPool) {
		V2InferenceServlet servlet = new V2InferenceServlet(registry, (int) web.getMaxRequestSize().toBytes(),
				web.getBodyTimeout(), web.getMaxElements(), tensorBufferPool.getIfAvailable());
		String basePath = web.getBasePath();
		String v2 = ((basePath.endsWith("/")) ? basePath.substring(0, basePath.length() - 1) : basePath) + "/v2";
		ServletRegistrationBean<V2InferenceServlet> registration = new ServletRegistrationBean<>(servlet, v2,
				v2 + "/*");
		registration.setName("v2Inference");
		registration.setAsyncSupported(true);
		registration.setLoadOnStartup(1);
		return registration;
	}

	@Bean
	V2BodyReadsLifecycle v2BodyReadsLifecycle(
			ServletRegistrationBean<V2InferenceServlet> v2InferenceServletRegistration) {
		return new V2BodyReadsLifecycle(v2InferenceServletRegistration.getServlet()::stopReadingBodies);
	}

	/**
	 * Bounds the Actuator calls without credentials that run at once on this server.
	 */
	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	FilterRegistrationBean<AnonymousManagementCalls> modelRegistryAnonymousManagementCalls(
			ModelRegistryWebProperties web, Environment environment) {
		FilterRegistrationBean<AnonymousManagementCalls> registration = new FilterRegistrationBean<>(
				new AnonymousManagementCalls(web.getAnonymousManagementCalls(), actuatorBasePath(environment)));
		registration.setName("modelRegistryAnonymousManagementCalls");
		return registration;
	}

	/**
	 * Lets a write to the models endpoint come without a body ({@code curl -X POST .../models/scorer}).
	 */
	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	FilterRegistrationBean<BodilessModelWrites> modelRegistryBodilessModelWrites(Environment environment) {
		FilterRegistrationBean<BodilessModelWrites> registration = new FilterRegistrationBean<>(
				new BodilessModelWrites(actuatorBasePath(environment)));
		registration.setName("modelRegistryBodilessModelWrites");
		return registration;
	}

	static String actuatorBasePath(Environment environment) {
		return Binder.get(environment).bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
	}

	/**
	 * Tomcat's connection and keep-alive time-outs, where the application did not set them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ ConfigurableTomcatWebServerFactory.class, org.apache.catalina.startup.Tomcat.class })
	@ConditionalOnBooleanProperty(name = "model-registry.web.connection-guards", matchIfMissing = true)
	static class TomcatGuardsConfiguration {

		@Bean
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> modelRegistryTomcatGuards(
				ModelRegistryWebProperties web, Environment environment) {
			TomcatConnectionGuards guards = guards(web, environment);
			return (factory) -> factory.addConnectorCustomizers(guards);
		}

		/**
		 * The guards for a Tomcat server of this application, the management server's included.
		 */
		static TomcatConnectionGuards guards(ModelRegistryWebProperties web, Environment environment) {
			Binder binder = Binder.get(environment);
			boolean connectionTimeoutSet = binder.bind("server.tomcat.connection-timeout", Duration.class).isBound();
			boolean keepAliveTimeoutSet = binder.bind("server.tomcat.keep-alive-timeout", Duration.class).isBound();
			return new TomcatConnectionGuards(connectionTimeoutSet ? null : web.getHeaderTimeout(),
					keepAliveTimeoutSet ? null : DEFAULT_KEEP_ALIVE_TIMEOUT);
		}

	}

}
