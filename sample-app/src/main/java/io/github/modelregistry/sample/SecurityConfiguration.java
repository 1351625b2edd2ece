package io.github.modelregistry.sample;

import java.nio.charset.StandardCharsets;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.boot.actuate.autoconfigure.web.server.ConditionalOnManagementPort;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.boot.webflux.autoconfigure.WebHttpHandlerBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.security.authentication.UserDetailsRepositoryReactiveAuthenticationManager;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.ServerAuthenticationEntryPoint;
import org.springframework.security.web.server.WebFilterChainProxy;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.web.server.ServerWebExchange;

/**
 * Health, info and Prometheus are open (probes and scrapers carry no credentials); every other Actuator endpoint,
 * the {@code models} reload among them, needs HTTP Basic authentication as {@code spring.security.user.*}. The
 * inference APIs stay open, as a model server's usually are behind its gateway, and when Actuator has a port of its
 * own Spring Security does not run on theirs at all ({@link #securityOnTheManagementPortOnly()}): there is nothing
 * for it to do there but cost every request.
 * <p>
 * The password is kept as a bcrypt hash only, and {@link CachingAuthenticationManager} remembers verified
 * credentials under a keyed hash, so that an operator's repeated calls cost microseconds, not bcrypt's ~70 ms, and
 * limits the bcrypt checks unknown credentials can cause. Refusals are JSON: 401 with a {@code WWW-Authenticate}
 * challenge, 429 with {@code Retry-After} past the check limit.
 * <p>
 * CSRF protection is off: nothing here uses cookies or sessions, every client authenticates each request.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(SecurityConfiguration.class);

	/**
	 * The operator, with the password bcrypt-hashed once at start-up unless it is given hashed already
	 * ({@code {bcrypt}...}); Spring Boot's own would keep it as {@code {noop}} plain text until the first login.
	 */
	@Bean
	MapReactiveUserDetailsService operatorUsers(SecurityProperties properties) {
		SecurityProperties.User user = properties.getUser();
		if (user.isPasswordGenerated()) {
			logger.warn("Using generated security password for '{}': {} (set spring.security.user.password)",
					user.getName(), user.getPassword());
		}
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		String password = user.getPassword().startsWith("{") ? user.getPassword() : encoder.encode(user.getPassword());
		return new MapReactiveUserDetailsService(User.withUsername(user.getName())
			.password(password)
			.roles(user.getRoles().toArray(String[]::new))
			.build());
	}

	/**
	 * Takes Spring Security's filter off the application's port when the management server has its own: Spring
	 * Boot builds the management server's handler from the management context, which finds the filter in this one
	 * and is not customized by this customizer, so Actuator keeps its security and the inference port pays nothing
	 * for it (no firewall, no matching of chains; measured in {@code gatling/results/baseline/baseline.md}), and no
	 * client there can spend the operator's budget of password checks with a wrong {@code Authorization} header.
	 * On a shared port the filter stays and secures Actuator's paths as below.
	 */
	@Bean
	@ConditionalOnManagementPort(ManagementPortType.DIFFERENT)
	WebHttpHandlerBuilderCustomizer securityOnTheManagementPortOnly() {
		return (builder) -> builder.filters((filters) -> filters.removeIf(WebFilterChainProxy.class::isInstance));
	}

	@Bean
	SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http, MapReactiveUserDetailsService users) {
		ServerAuthenticationEntryPoint refusal = SecurityConfiguration::refuse;
		return http
			.authorizeExchange((exchanges) -> exchanges
				.matchers(EndpointRequest.to("health", "info", "prometheus")).permitAll()
				.matchers(EndpointRequest.toAnyEndpoint()).authenticated()
				// The model repository extension, when on, is on the management port: the operator's too
				.pathMatchers("/v2/repository/**").authenticated()
				.anyExchange().permitAll())
			.httpBasic((basic) -> basic
				.authenticationManager(
						new CachingAuthenticationManager(new UserDetailsRepositoryReactiveAuthenticationManager(users)))
				.authenticationEntryPoint(refusal))
			.exceptionHandling((exceptions) -> exceptions.authenticationEntryPoint(refusal))
			.formLogin(ServerHttpSecurity.FormLoginSpec::disable)
			.csrf(ServerHttpSecurity.CsrfSpec::disable)
			// Stateless: the default repository keeps the context in a WebSession, which Spring creates on a
			// bounded-elastic thread and hands back on a parallel one: two thread hops per request for nothing
			.securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
			.requestCache((cache) -> cache.requestCache(NoOpServerRequestCache.getInstance()))
			.build();
	}

	private static Mono<Void> refuse(ServerWebExchange exchange, AuthenticationException failure) {
		ServerHttpResponse response = exchange.getResponse();
		String message;
		if (failure instanceof TooManyLoginAttemptsException tooMany) {
			response.setStatusCode(HttpStatus.TOO_MANY_REQUESTS);
			response.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(tooMany.getRetryAfter().toSeconds()));
			message = tooMany.getMessage();
		}
		else {
			response.setStatusCode(HttpStatus.UNAUTHORIZED);
			response.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Realm\"");
			message = "Authentication required: send the operator's credentials (HTTP Basic)";
		}
		response.getHeaders().setContentType(MediaType.APPLICATION_JSON);
		DataBuffer body = response.bufferFactory()
			.wrap(("{\"error\":\"" + message + "\"}").getBytes(StandardCharsets.UTF_8));
		return response.writeWith(Mono.just(body));
	}

}
