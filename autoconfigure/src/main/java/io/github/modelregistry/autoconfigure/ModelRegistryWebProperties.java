package io.github.modelregistry.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * The Open Inference Protocol (V2) HTTP API, on whichever web stack serves it (the WebFlux face on Reactor Netty,
 * the Spring MVC face on a servlet container), and the guards of the servers it runs on.
 */
@ConfigurationProperties("model-registry.web")
public class ModelRegistryWebProperties {

	/**
	 * Whether to serve the Open Inference Protocol (V2) endpoints.
	 */
	private boolean enabled = true;

	/**
	 * Whether the registry's exceptions thrown in the application's own controllers are answered as RFC 9457
	 * problem details with the V2 face's statuses (404, 400, 409, 429 and 503 with Retry-After, 504, 507), after
	 * any handler of the application's.
	 */
	private boolean problemDetails = true;

	/**
	 * Prefix of the V2 routes, for example '/ml' to serve '/ml/v2/models/...'.
	 */
	private String basePath = "";

	/**
	 * Whether to serve the protocol's model repository extension (POST /v2/repository/index and
	 * /v2/repository/models/{name}/load and /unload) on the management server, to callers the application's
	 * security authenticated. Needs a management port of its own (management.server.port).
	 */
	private boolean repositoryEnabled;

	/**
	 * Largest request body accepted; larger ones are answered with 413.
	 */
	private DataSize maxRequestSize = DataSize.ofMegabytes(16);

	/**
	 * Most tensor elements one request may hold, summed over its inputs; more are answered with 413.
	 */
	private int maxElements = 4 * 1024 * 1024;

	/**
	 * Longest time a client may take to send a request body, from the first byte the handler asks for to the
	 * last; a slower one is answered with 408. The body is read in full before a model's permit is asked for,
	 * so a slow upload never holds a permit.
	 */
	private Duration bodyTimeout = Duration.ofSeconds(10);

	/**
	 * Whether to guard the server's HTTP/1.1 connections: on Reactor Netty, the header, body and idle time-outs
	 * below and a JSON 4xx with one DEBUG line for framing that does not decode; on Tomcat, its connection time-out
	 * (the header time-out) and keep-alive time-out (a minute), unless server.tomcat.* sets them.
	 */
	private boolean connectionGuards = true;

	/**
	 * Most Actuator calls without credentials served at once, on whichever port Actuator is; more are answered
	 * 503 with Retry-After at once. Calls with an Authorization header are not counted.
	 */
	private int anonymousManagementCalls = 4;

	/**
	 * Longest time a client may take to send a request's line and headers, from the connection's opening or the
	 * first byte of a later request on it; a slower one gets a 408 and the connection closes. On Reactor Netty it
	 * applies to every HTTP/1.1 request, as do the body time-out (the connection closes a second after it, for
	 * endpoints other than V2's) and, when server.netty.idle-timeout is not set, an idle time-out of a minute. On
	 * Tomcat it is the connection time-out: the longest wait for each read of the request's line and headers.
	 */
	private Duration headerTimeout = Duration.ofSeconds(10);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isProblemDetails() {
		return this.problemDetails;
	}

	public void setProblemDetails(boolean problemDetails) {
		this.problemDetails = problemDetails;
	}

	public boolean isRepositoryEnabled() {
		return this.repositoryEnabled;
	}

	public void setRepositoryEnabled(boolean repositoryEnabled) {
		this.repositoryEnabled = repositoryEnabled;
	}

	public String getBasePath() {
		return this.basePath;
	}

	public void setBasePath(String basePath) {
		if (!basePath.isEmpty() && !basePath.startsWith("/")) {
			throw new IllegalArgumentException(
					"model-registry.web.base-path must be empty or start with '/', was '" + basePath + "'");
		}
		this.basePath = basePath;
	}

	public DataSize getMaxRequestSize() {
		return this.maxRequestSize;
	}

	public void setMaxRequestSize(DataSize maxRequestSize) {
		if (maxRequestSize.toBytes() < 1 || maxRequestSize.toBytes() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException(
					"model-registry.web.max-request-size must be between 1 byte and 2 GB, was " + maxRequestSize);
		}
		this.maxRequestSize = maxRequestSize;
	}

	public int getMaxElements() {
		return this.maxElements;
	}

	public void setMaxElements(int maxElements) {
		if (maxElements < 1) {
			throw new IllegalArgumentException(
					"model-registry.web.max-elements must be at least 1, was " + maxElements);
		}
		this.maxElements = maxElements;
	}

	public int getAnonymousManagementCalls() {
		return this.anonymousManagementCalls;
	}

	public void setAnonymousManagementCalls(int anonymousManagementCalls) {
		if (anonymousManagementCalls < 1) {
			throw new IllegalArgumentException(
					"model-registry.web.anonymous-management-calls must be at least 1, was " + anonymousManagementCalls);
		}
		this.anonymousManagementCalls = anonymousManagementCalls;
	}

	public boolean isConnectionGuards() {
		return this.connectionGuards;
	}

	public void setConnectionGuards(boolean connectionGuards) {
		this.connectionGuards = connectionGuards;
	}

	public Duration getHeaderTimeout() {
		return this.headerTimeout;
	}

	public void setHeaderTimeout(Duration headerTimeout) {
		if (headerTimeout.isNegative() || headerTimeout.isZero()) {
			throw new IllegalArgumentException(
					"model-registry.web.header-timeout must be positive, was " + headerTimeout);
		}
		this.headerTimeout = headerTimeout;
	}

	public Duration getBodyTimeout() {
		return this.bodyTimeout;
	}

	public void setBodyTimeout(Duration bodyTimeout) {
		if (bodyTimeout.isNegative() || bodyTimeout.isZero()) {
			throw new IllegalArgumentException("model-registry.web.body-timeout must be positive, was " + bodyTimeout);
		}
		this.bodyTimeout = bodyTimeout;
	}

}
