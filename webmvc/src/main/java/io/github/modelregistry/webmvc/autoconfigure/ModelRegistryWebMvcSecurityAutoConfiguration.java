package io.github.modelregistry.webmvc.autoconfigure;

import io.github.modelregistry.autoconfigure.ModelRegistryWebProperties;
import io.github.modelregistry.autoconfigure.web.BootDefaultSecurity;
import io.github.modelregistry.registry.ModelRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spring Security's defaults made to fit a model server, in a Spring MVC application that relies on them (no
 * {@code SecurityFilterChain} of its own): Boot's defaults authenticate every request and check a CSRF token on every
 * POST, which refuses V2 inference from any machine client and model writes even with credentials. Two chains go
 * before Boot's: the V2 inference API is open and stateless (a machine API, as gRPC is; protect it with the
 * application's own chain when it must be), and the {@code models} endpoint and the repository extension take HTTP
 * Basic credentials without a session or a CSRF token. Everything else keeps Boot's defaults. An application that
 * writes its own chain owns its security, and this backs off; docs/security.md gives the chain to copy.
 */
// Last, by order rather than after Boot's security auto-configurations: an "after" on them would move them ahead
// of Boot's user details auto-configuration, whose place Boot leaves to the alphabet, and the default user would
// be lost to a deny-all authentication manager
@AutoConfiguration
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ SecurityFilterChain.class, HttpSecurity.class, SecurityFilterProperties.class })
@ConditionalOnBooleanProperty(name = "model-registry.web.enabled", matchIfMissing = true)
@ConditionalOnBean(ModelRegistry.class)
@Conditional(BootDefaultSecurity.Servlet.class)
@EnableConfigurationProperties(ModelRegistryWebProperties.class)
public final class ModelRegistryWebMvcSecurityAutoConfiguration {

	/** Before Boot's default chains, which are at {@link SecurityFilterProperties#BASIC_AUTH_ORDER}. */
	static final int ORDER = SecurityFilterProperties.BASIC_AUTH_ORDER - 10;

	private static final RequestMatcher REPOSITORY = PathPatternRequestMatcher.withDefaults()
		.matcher("/v2/repository/**");

	@Bean
	@Order(ORDER)
	SecurityFilterChain modelRegistryInferenceSecurityFilterChain(HttpSecurity http, ModelRegistryWebProperties web)
			throws Exception {
		String basePath = web.getBasePath();
		String v2 = ((basePath.endsWith("/")) ? basePath.substring(0, basePath.length() - 1) : basePath) + "/v2/**";
		RequestMatcher inference = new AndRequestMatcher(PathPatternRequestMatcher.withDefaults().matcher(v2),
				new NegatedRequestMatcher(REPOSITORY));
		return http.securityMatcher(inference)
			.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll())
			.csrf((csrf) -> csrf.disable())
			.requestCache((cache) -> cache.disable())
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	@Order(ORDER + 1)
	SecurityFilterChain modelRegistryOperatorSecurityFilterChain(HttpSecurity http) throws Exception {
		return http.securityMatcher(new OrRequestMatcher(EndpointRequest.to("models"), REPOSITORY))
			.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
			.httpBasic(Customizer.withDefaults())
			// Credentials on every call, never a session: a browser's cookie cannot write, so no CSRF token is needed
			.securityContext((context) -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.csrf((csrf) -> csrf.disable())
			.build();
	}

}
