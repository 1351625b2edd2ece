package io.github.modelregistry.autoconfigure;

import java.util.List;
import java.util.Locale;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * Says once, at start-up, that the {@code models} endpoint's writes are opened
 * ({@code management.endpoint.models.access=unrestricted}) but cannot be used, because they need an authenticated
 * caller and the application has no Spring Security to authenticate one, and how to enable them.
 */
final class UnauthenticatedWritesReport implements SmartInitializingSingleton {

	private static final Logger logger = LoggerFactory.getLogger(UnauthenticatedWritesReport.class);

	private static final String SPRING_SECURITY = "org.springframework.security.core.Authentication";

	private final Environment environment;

	UnauthenticatedWritesReport(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void afterSingletonsInstantiated() {
		Binder binder = Binder.get(this.environment);
		boolean opened = "unrestricted".equals(binder.bind("management.endpoint.models.access", String.class)
			.map((access) -> access.toLowerCase(Locale.ROOT).replace("_", "").replace("-", ""))
			.orElse(""));
		boolean authenticated = binder.bind("model-registry.management.authenticated-writes", Boolean.class)
			.orElse(true);
		List<String> exposed = binder.bind("management.endpoints.web.exposure.include", Bindable.listOf(String.class))
			.orElse(List.of());
		if (opened && authenticated && (exposed.contains("models") || exposed.contains("*"))
				&& !ClassUtils.isPresent(SPRING_SECURITY, getClass().getClassLoader())) {
			logger.info("The models endpoint's writes (reload, register, unregister) need an authenticated caller, "
					+ "and without Spring Security none can be: every write is answered 401. Add "
					+ "spring-boot-starter-security (docs/security.md shows the configuration), or set "
					+ "model-registry.management.authenticated-writes=false where a gateway authenticates operators");
		}
	}

}
