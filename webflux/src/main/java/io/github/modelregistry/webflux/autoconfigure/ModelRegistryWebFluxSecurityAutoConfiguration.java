package io.github.modelregistry.webflux.autoconfigure;

import io.github.modelregistry.autoconfigure.ModelRegistryWebProperties;
import io.github.modelregistry.autoconfigure.web.BootDefaultSecurity;
import io.github.modelregistry.registry.ModelRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.security.web.server.util.matcher.AndServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.NegatedServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.OrServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatcher;
import org.springframework.security.web.server.util.matcher.ServerWebExchangeMatchers;

/**
 * Spring Security's defaults made to fit a model server, in a WebFlux application that relies on them (no
 * {@code SecurityWebFilterChain} of its own): the defaults authenticate every exchange and check a CSRF token on
 * every POST, which refuses V2 inference from any machine client and model writes even with credentials. Two chains
 * go first: the V2 inference API is open and stateless (a machine API, as gRPC is; protect it with the application's
 * own chain when it must be), and the {@code models} endpoint and the repository extension take HTTP Basic
 * credentials without a session or a CSRF token. Everything else keeps the defaults: Actuator's chain when Actuator
 * is there, else Spring Security's own default, which this then declares again (it is made only when no chain is).
 * An application that writes its own chain owns its security, and this backs off; docs/security.md gives the chain
 * to copy.
 */
// Last, by order rather than after Boot's security auto-configurations: an "after" on them would move them ahead
// of Boot's user details auto-configuration, whose place Boot leaves to the alphabet, and the default user would
// be lost to a deny-all authentication manager
@AutoConfiguration
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ SecurityWebFilterChain.class, ServerHttpSecurity.class, EndpointRequest.class })
@ConditionalOnBean({ ModelRegistry.class, ServerHttpSecurity.class })
@ConditionalOnBooleanProperty(name = "model-registry.web.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ModelRegistryWebProperties.class)
public final class ModelRegistryWebFluxSecurityAutoConfiguration {

	private static final ServerWebExchangeMatcher REPOSITORY = ServerWebExchangeMatchers
		.pathMatchers("/v2/repository/**");

	/**
	 * Beside Actuator's default chain, which authenticates everything but health.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(BootDefaultSecurity.ReactiveActuator.class)
	static class BesideActuatorDefaults {

		@Bean
		@Order(0)
		SecurityWebFilterChain modelRegistryInferenceSecurityFilterChain(ServerHttpSecurity http,
				ModelRegistryWebProperties web) {
			return inference(http, web);
		}

		@Bean
		@Order(1)
		SecurityWebFilterChain modelRegistryOperatorSecurityFilterChain(ServerHttpSecurity http) {
			return operators(http);
		}

	}

	/**
	 * Beside Spring Security's own default, made only when no chain is: so it is declared here again.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(SecurityWebFilterChain.class)
	static class BesideSpringSecurityDefaults {

		@Bean
		@Order(0)
		SecurityWebFilterChain modelRegistryInferenceSecurityFilterChain(ServerHttpSecurity http,
				ModelRegistryWebProperties web) {
			return inference(http, web);
		}

		@Bean
		@Order(2)
		SecurityWebFilterChain modelRegistryDefaultSecurityFilterChain(ServerHttpSecurity http) {
			return http.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
				.httpBasic(Customizer.withDefaults())
				.formLogin(Customizer.withDefaults())
				.build();
		}

	}

	static SecurityWebFilterChain inference(ServerHttpSecurity http, ModelRegistryWebProperties web) {
		String basePath = web.getBasePath();
		String v2 = ((basePath.endsWith("/")) ? basePath.substring(0, basePath.length() - 1) : basePath) + "/v2/**";
		return http
			.securityMatcher(new AndServerWebExchangeMatcher(ServerWebExchangeMatchers.pathMatchers(v2),
					new NegatedServerWebExchangeMatcher(REPOSITORY)))
			.authorizeExchange((exchanges) -> exchanges.anyExchange().permitAll())
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.build();
	}

	static SecurityWebFilterChain operators(ServerHttpSecurity http) {
		return http.securityMatcher(new OrServerWebExchangeMatcher(EndpointRequest.to("models"), REPOSITORY))
			.authorizeExchange((exchanges) -> exchanges.anyExchange().authenticated())
			.httpBasic(Customizer.withDefaults())
			// Credentials on every call, never a session: a browser's cookie cannot write, so no CSRF token is needed
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.csrf((csrf) -> csrf.disable())
			.build();
	}

}
