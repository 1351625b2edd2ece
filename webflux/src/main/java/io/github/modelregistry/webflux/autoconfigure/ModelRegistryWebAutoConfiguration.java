package io.github.modelregistry.webflux.autoconfigure;

import java.time.Duration;

import io.github.modelregistry.autoconfigure.ModelRegistryAutoConfiguration;
import io.github.modelregistry.autoconfigure.ModelRegistryWebProperties;
import io.github.modelregistry.autoconfigure.web.V2BodyReadsLifecycle;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.webflux.internal.AnonymousManagementCalls;
import io.github.modelregistry.webflux.internal.BodilessModelWrites;
import io.github.modelregistry.webflux.internal.HttpConnectionGuards;
import io.github.modelregistry.webflux.internal.JsonExchangeRejectedHandler;
import io.github.modelregistry.webflux.internal.ReadTimeoutExceptionHandler;
import io.github.modelregistry.webflux.internal.V2InferenceHandler;
import io.github.modelregistry.webflux.internal.V2Routes;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Auto-configuration of the Open Inference Protocol (KServe V2) REST API on WebFlux functional endpoints: a face
 * of the {@link ModelRegistry}, which protects and schedules inference itself.
 */
@AutoConfiguration(after = ModelRegistryAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ RouterFunction.class, tools.jackson.core.JsonParser.class })
@ConditionalOnBean(ModelRegistry.class)
@ConditionalOnBooleanProperty(name = "model-registry.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelRegistryWebProperties.class)
public final class ModelRegistryWebAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	V2InferenceHandler v2InferenceHandler(ModelRegistry registry, ModelRegistryWebProperties web,
			ObjectProvider<TensorBufferPool> tensorBufferPool) {
		return new V2InferenceHandler(registry, (int) web.getMaxRequestSize().toBytes(), web.getBodyTimeout(),
				web.getMaxElements(), tensorBufferPool.getIfAvailable());
	}

	@Bean
	V2BodyReadsLifecycle v2BodyReadsLifecycle(V2InferenceHandler v2InferenceHandler) {
		return new V2BodyReadsLifecycle(v2InferenceHandler::stopReadingBodies);
	}

	/**
	 * Time-outs and framing errors on the Reactor Netty server, for every endpoint it serves.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyServerCustomizer.class })
	@ConditionalOnBooleanProperty(name = "model-registry.web.connection-guards", matchIfMissing = true)
	static class ConnectionGuardsConfiguration {

		/** The idle time-out applied when server.netty.idle-timeout is not set. */
		static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(1);

		@Bean
		HttpConnectionGuards modelRegistryHttpConnectionGuards(ModelRegistryWebProperties web,
				Environment environment) {
			return guards(web, environment);
		}

		/**
		 * Answers a body that stopped arriving on an HTTP/2 stream (Reactor Netty's read time-out) with a 408,
		 * before Spring Boot's error handler would answer 500 and log an ERROR.
		 */
		@Bean
		@Order(-2)
		ReadTimeoutExceptionHandler modelRegistryReadTimeouts() {
			return new ReadTimeoutExceptionHandler();
		}

		/**
		 * The guards for a server of this application, the management server's included: the web time-outs, and
		 * the default idle time-out unless server.netty.idle-timeout is set.
		 */
		static HttpConnectionGuards guards(ModelRegistryWebProperties web, Environment environment) {
			boolean idleTimeoutSet = Binder.get(environment).bind("server.netty.idle-timeout", Duration.class).isBound();
			return new HttpConnectionGuards(web.getHeaderTimeout(), web.getBodyTimeout(),
					idleTimeoutSet ? null : DEFAULT_IDLE_TIMEOUT);
		}

	}

	/**
	 * Spring Security's firewall refusals (an encoded slash or {@code ..} in a path) in JSON, as the server's other
	 * refusals, rather than a 400 with an empty body.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler")
	static class RejectedExchangesConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ServerExchangeRejectedHandler modelRegistryRejectedExchanges() {
			return new JsonExchangeRejectedHandler();
		}

	}

	/**
	 * Bounds the Actuator calls without credentials that run at once on this server (on the management server's
	 * own port, {@link ModelRegistryManagementServerContextConfiguration} bounds them there).
	 */
	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	AnonymousManagementCalls modelRegistryAnonymousManagementCalls(ModelRegistryWebProperties web,
			Environment environment) {
		return new AnonymousManagementCalls(web.getAnonymousManagementCalls(), actuatorBasePath(environment));
	}

	/**
	 * Lets a write to the models endpoint come without a body ({@code curl -X POST .../models/scorer}), on this
	 * server and, through the management context's parent, on the management server's own port.
	 */
	@Bean
	@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
	BodilessModelWrites modelRegistryBodilessModelWrites(Environment environment) {
		return new BodilessModelWrites(actuatorBasePath(environment));
	}

	static String actuatorBasePath(Environment environment) {
		return Binder.get(environment).bind("management.endpoints.web.base-path", String.class).orElse("/actuator");
	}

	@Bean
	@ConditionalOnMissingBean(name = "v2InferenceRoutes")
	RouterFunction<ServerResponse> v2InferenceRoutes(V2InferenceHandler v2InferenceHandler,
			ModelRegistryWebProperties web) {
		return V2Routes.routes(v2InferenceHandler, web.getBasePath());
	}

}
