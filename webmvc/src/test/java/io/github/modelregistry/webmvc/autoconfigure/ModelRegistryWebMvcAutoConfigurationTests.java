package io.github.modelregistry.webmvc.autoconfigure;

import java.util.function.Consumer;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.webmvc.internal.AnonymousManagementCalls;
import io.github.modelregistry.webmvc.internal.V2InferenceServlet;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Spring MVC face's auto-configuration, in application contexts that start only what it needs.
 */
@ExtendWith(OutputCaptureExtension.class)
class ModelRegistryWebMvcAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ModelRegistryAutoConfiguration.class, ModelRegistryWebMvcAutoConfiguration.class));

	@Test
	void servesV2AtTheRootAsAnAsynchronousServlet(CapturedOutput output) {
		this.contextRunner.run((context) -> {
			ServletRegistrationBean<V2InferenceServlet> registration = registration(context);
			assertThat(registration.getUrlMappings()).containsExactly("/v2", "/v2/*");
			assertThat(registration.isAsyncSupported()).isTrue();
			assertThat(registration.getServletName()).isEqualTo("v2Inference");
			assertThat(output).doesNotContain("V2 REST face for it is not on the class path");
		});
	}

	@Test
	void servesV2UnderTheBasePath() {
		this.contextRunner.withPropertyValues("model-registry.web.base-path=/ml/")
			.run((context) -> assertThat(registration(context).getUrlMappings()).containsExactly("/ml/v2", "/ml/v2/*"));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withPropertyValues("model-registry.web.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("v2InferenceServletRegistration"));
	}

	@Test
	void backsOffInAReactiveApplication() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class,
					ModelRegistryWebMvcAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean("v2InferenceServletRegistration"));
	}

	@Test
	void boundsAnonymousActuatorCalls() {
		this.contextRunner.run((context) -> assertThat(context.getBean("modelRegistryAnonymousManagementCalls",
				FilterRegistrationBean.class).getFilter()).isInstanceOf(AnonymousManagementCalls.class));
	}

	@Test
	void setsTomcatsConnectionAndKeepAliveTimeOuts() {
		this.contextRunner.withPropertyValues("model-registry.web.header-timeout=3s")
			.run(tomcat((protocol) -> {
				assertThat(protocol.getConnectionTimeout()).isEqualTo(3000);
				assertThat(protocol.getKeepAliveTimeout()).isEqualTo(60_000);
			}));
	}

	@Test
	void leavesTomcatsTimeOutsWhereTheApplicationSetsThem() {
		this.contextRunner
			.withPropertyValues("server.tomcat.connection-timeout=7s", "server.tomcat.keep-alive-timeout=9s")
			.run(tomcat((protocol) -> {
				// Tomcat's own defaults: Boot's customizer, not run here, sets the application's values
				assertThat(protocol.getConnectionTimeout()).isEqualTo(60_000);
				assertThat(protocol.getKeepAliveTimeout()).isEqualTo(60_000);
			}));
	}

	@Test
	void leavesTomcatAloneWithoutConnectionGuards() {
		this.contextRunner.withPropertyValues("model-registry.web.connection-guards=false")
			.run((context) -> assertThat(context).doesNotHaveBean("modelRegistryTomcatGuards"));
	}

	@SuppressWarnings("unchecked")
	private static ServletRegistrationBean<V2InferenceServlet> registration(AssertableWebApplicationContext context) {
		assertThat(context).hasNotFailed();
		return context.getBean("v2InferenceServletRegistration", ServletRegistrationBean.class);
	}

	@SuppressWarnings("unchecked")
	private static org.springframework.boot.test.context.runner.ContextConsumer<AssertableWebApplicationContext> tomcat(
			Consumer<AbstractProtocol<?>> check) {
		return (context) -> {
			assertThat(context).hasNotFailed();
			WebServerFactoryCustomizer<TomcatServletWebServerFactory> customizer = (WebServerFactoryCustomizer<TomcatServletWebServerFactory>) context
				.getBean("modelRegistryTomcatGuards", WebServerFactoryCustomizer.class);
			TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
			customizer.customize(factory);
			Connector connector = new Connector();
			factory.getConnectorCustomizers().forEach((each) -> each.customize(connector));
			check.accept((AbstractProtocol<?>) connector.getProtocolHandler());
		};
	}

}
