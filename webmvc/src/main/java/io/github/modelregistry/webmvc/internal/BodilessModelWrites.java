package io.github.modelregistry.webmvc.internal;

import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a write to the {@code models} endpoint come without a body: {@code curl -X POST .../actuator/models/scorer}
 * reloads, as the endpoint's documentation says, instead of a 415 for a body that has no content type. A request to
 * {@code <actuator base path>/models...} with no body and no {@code Content-Type} is read as an empty JSON body;
 * every other request is left as it is.
 */
public final class BodilessModelWrites extends OncePerRequestFilter {

	private final String modelsPath;

	/**
	 * @param actuatorBasePath Actuator's base path on this server ({@code management.endpoints.web.base-path})
	 */
	public BodilessModelWrites(String actuatorBasePath) {
		this.modelsPath = actuatorBasePath + "/models";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || request.getContentType() != null
				|| request.getContentLengthLong() > 0 || request.getHeader(HttpHeaders.TRANSFER_ENCODING) != null
				|| !request.getRequestURI().startsWith(request.getContextPath() + this.modelsPath);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(new EmptyJson(request), response);
	}

	/**
	 * The request, with a JSON content type for its empty body.
	 */
	private static final class EmptyJson extends HttpServletRequestWrapper {

		EmptyJson(HttpServletRequest request) {
			super(request);
		}

		@Override
		public String getContentType() {
			return MediaType.APPLICATION_JSON_VALUE;
		}

		@Override
		public String getHeader(String name) {
			return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name) ? MediaType.APPLICATION_JSON_VALUE
					: super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.CONTENT_TYPE.equalsIgnoreCase(name)
					? Collections.enumeration(java.util.List.of(MediaType.APPLICATION_JSON_VALUE))
					: super.getHeaders(name);
		}

		@Override
		public Enumeration<String> getHeaderNames() {
			java.util.List<String> names = Collections.list(super.getHeaderNames());
			names.add(HttpHeaders.CONTENT_TYPE);
			return Collections.enumeration(names);
		}

	}

}
