package io.github.modelregistry.sample;

import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;

/**
 * Health, info and Prometheus are open (probes and scrapers carry no credentials); every other Actuator endpoint,
 * the {@code models} reload among them, needs HTTP Basic authentication as {@code spring.security.user.*}. The
 * inference APIs stay open, as a model server's usually are behind its gateway.
 * <p>
 * CSRF protection is off: nothing here uses cookies or sessions, every client authenticates each request.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
		return http
			.authorizeExchange((exchanges) -> exchanges
				.matchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
				.matchers(EndpointRequest.toAnyEndpoint()).authenticated()
				.anyExchange().permitAll())
			.httpBasic(Customizer.withDefaults())
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			// Stateless: the default repository keeps the context in a WebSession, which Spring creates on a
			// bounded-elastic thread and hands back on a parallel one: two thread hops per request for nothing
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.build();
	}

}
