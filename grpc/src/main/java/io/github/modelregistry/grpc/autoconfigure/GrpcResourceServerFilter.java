package io.github.modelregistry.grpc.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.util.ClassUtils;

/**
 * Leaves out Spring Boot's gRPC OAuth2 resource server auto-configuration when Spring Security's resource server
 * module is not on the class path. It could do nothing there, but Spring introspects its bean methods' conditions
 * before it finds so, fails to load the resource server's types they name, and logs two WARN lines at every start
 * of any gRPC service that has Spring Security (seen with spring-boot-grpc-server 4.1.2). With the module on the
 * class path the auto-configuration is left alone.
 */
public final class GrpcResourceServerFilter implements AutoConfigurationImportFilter {

	static final String RESOURCE_SERVER_AUTO_CONFIGURATION = "org.springframework.boot.grpc.server.autoconfigure.security.GrpcServerOAuth2ResourceServerAutoConfiguration";

	static final String RESOURCE_SERVER = "org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector";

	@Override
	public boolean[] match(String[] autoConfigurationClasses, AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean resourceServer = ClassUtils.isPresent(RESOURCE_SERVER, getClass().getClassLoader());
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < autoConfigurationClasses.length; i++) {
			matches[i] = resourceServer || !RESOURCE_SERVER_AUTO_CONFIGURATION.equals(autoConfigurationClasses[i]);
		}
		return matches;
	}

}
