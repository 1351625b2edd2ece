package io.github.modelregistry.webmvc.internal;

import java.io.IOException;

import io.github.modelregistry.autoconfigure.web.AnonymousManagementPermits;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds how many Actuator calls without credentials (no {@code Authorization} header) run at once on a servlet
 * container: beyond the bound, a call is answered 503 with {@code Retry-After: 1} at once, without running. Probes
 * and a Prometheus server call one at a time; a client that loops on scrapes from many connections is what this
 * stops from taking the threads and cores inference needs. Calls with credentials are never counted nor refused.
 * <p>
 * One semaphore, taken without waiting, given back when the call returns (Actuator's endpoints answer on the
 * request's thread). A request is counted once, however many times it is dispatched.
 */
public final class AnonymousManagementCalls extends OncePerRequestFilter {

	private final AnonymousManagementPermits permits;

	private final String pathPrefix;

	/**
	 * @param permits how many anonymous calls may run at once
	 * @param pathPrefix the paths counted (Actuator's base path on the application's server), or empty for all
	 * (the management server's own port)
	 */
	public AnonymousManagementCalls(int permits, String pathPrefix) {
		this.permits = new AnonymousManagementPermits(permits);
		this.pathPrefix = pathPrefix;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().startsWith(request.getContextPath() + this.pathPrefix)
				|| request.getHeader(HttpHeaders.AUTHORIZATION) != null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!this.permits.tryAcquire()) {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.setHeader(HttpHeaders.RETRY_AFTER, AnonymousManagementPermits.RETRY_AFTER_SECONDS);
			response.setContentType("application/json");
			byte[] busy = AnonymousManagementPermits.busyBody();
			response.setContentLength(busy.length);
			response.getOutputStream().write(busy);
			return;
		}
		try {
			chain.doFilter(request, response);
		}
		finally {
			this.permits.release();
		}
	}

	/**
	 * Returns how many anonymous calls could start now.
	 */
	public int availablePermits() {
		return this.permits.availablePermits();
	}

}
