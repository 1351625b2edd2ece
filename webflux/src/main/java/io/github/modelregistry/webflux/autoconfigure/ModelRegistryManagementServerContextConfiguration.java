package io.github.modelregistry.webflux.autoconfigure;

import io.github.modelregistry.autoconfigure.ModelRegistryWebProperties;
import io.github.modelregistry.webflux.internal.AnonymousManagementCalls;
import io.github.modelregistry.webflux.internal.HttpConnectionGuards;
import io.github.modelregistry.webflux.internal.V2Routes;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.actuate.autoconfigure.web.ManagementContextConfiguration;
import org.springframework.boot.actuate.autoconfigure.web.ManagementContextType;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.server.WebFilter;

/**
 * The management server's own port, when it has one ({@code management.server.port}): the same connection guards
 * as the application's server (Kubernetes probes use this port, and a client that holds its connections fails them),
 * and no V2 inference, which its context would otherwise find through its parent and serve without the API's
 * security.
 */
@ManagementContextConfiguration(value = ManagementContextType.CHILD, proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass(RouterFunction.class)
@EnableConfigurationProperties(ModelRegistryWebProperties.class)
public final class ModelRegistryManagementServerContextConfiguration {

	/**
	 * Marks every exchange of the management server, so that the V2 inference routes answer none.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	WebFilter modelRegistryManagementExchanges() {
		return (exchange, chain) -> {
			V2Routes.markManagement(exchange);
			return chain.filter(exchange);
		};
	}

	/**
	 * Bounds the Actuator calls without credentials that run at once on the management server's port.
	 */
	@Bean
	AnonymousManagementCalls modelRegistryManagementAnonymousCalls(ModelRegistryWebProperties web) {
		return new AnonymousManagementCalls(web.getAnonymousManagementCalls(), "");
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyServerCustomizer.class })
	@ConditionalOnBooleanProperty(name = "model-registry.web.connection-guards", matchIfMissing = true)
	static class ManagementConnectionGuardsConfiguration {

		/**
		 * The management context's server factory is a bare instance of the application's factory class, which
		 * the application's NettyServerCustomizer beans never reach: the guards are added to it here.
		 */
		@Bean
		WebServerFactoryCustomizer<NettyReactiveWebServerFactory> modelRegistryManagementConnectionGuards(
				ModelRegistryWebProperties web, Environment environment) {
			HttpConnectionGuards guards = ModelRegistryWebAutoConfiguration.ConnectionGuardsConfiguration
				.guards(web, environment);
			return (factory) -> factory.addServerCustomizers(guards);
		}

	}

}
