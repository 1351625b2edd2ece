package io.github.modelregistry.webmvc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import io.github.modelregistry.protocol.LoadParameters;
import io.github.modelregistry.protocol.V2Errors;
import io.github.modelregistry.protocol.V2Exception;
import io.github.modelregistry.protocol.V2ResponseEncoder;
import io.github.modelregistry.registry.ModelRegistry;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;

/**
 * The Open Inference Protocol's model repository extension in a servlet container, a face of the
 * {@link ModelRegistry}: {@code POST /v2/repository/index} lists the models under the base path and those served,
 * {@code POST /v2/repository/models/{name}/load} registers one by name and {@code .../unload} unregisters it. Served
 * on the management server only, and only when {@code model-registry.web.repository-enabled} is set.
 * <p>
 * Every call needs an authenticated principal, one the application's security put on the request
 * ({@link HttpServletRequest#getUserPrincipal()}): without one the answer is 401, whatever the security rules
 * permit. Calls are an operator's, rare and bounded: they run on the management server's request thread, a load's
 * body is at most {@value #MAX_LOAD_BODY} bytes and is read within the container's connection time-out. Failures
 * are the registry's exceptions through {@link V2Errors}, the same answers as the WebFlux face's.
 */
@SuppressWarnings("serial")
public final class V2RepositoryServlet extends HttpServlet {

	/** The largest load request body read: a load's parameters are a few bytes. */
	static final int MAX_LOAD_BODY = 4096;

	private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

	private final transient ModelRegistry registry;

	private final transient V2ResponseEncoder encoder = new V2ResponseEncoder();

	public V2RepositoryServlet(ModelRegistry registry) {
		this.registry = registry;
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		try {
			answer(response, 200, route(request, response));
		}
		catch (RuntimeException failure) {
			V2Exception error = V2Errors.of(failure);
			answer(response, error.getStatus(), this.encoder.error(String.valueOf(error.getMessage())));
		}
	}

	private byte[] route(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String path = (request.getPathInfo() != null) ? request.getPathInfo() : "";
		String[] segments = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[0];
		boolean index = segments.length == 1 && "index".equals(segments[0]);
		boolean model = segments.length == 3 && "models".equals(segments[0])
				&& ("load".equals(segments[2]) || "unload".equals(segments[2]));
		if (!index && !model) {
			throw new V2Exception(404, "No repository endpoint at '" + request.getRequestURI() + "'");
		}
		if (!"POST".equals(request.getMethod())) {
			response.setHeader(HttpHeaders.ALLOW, "POST");
			throw new V2Exception(405, request.getMethod() + " is not supported on the repository extension: use POST");
		}
		if (request.getUserPrincipal() == null) {
			throw new V2Exception(401, "The model repository needs an authenticated caller: send the operator's "
					+ "credentials");
		}
		if (index) {
			return this.encoder.repositoryIndex(this.registry.repositoryIndex());
		}
		if ("load".equals(segments[2])) {
			LoadParameters load = LoadParameters.parse(body(request));
			this.registry.register(segments[1], load.evictable());
		}
		else {
			this.registry.unregister(segments[1]);
		}
		return EMPTY;
	}

	private static byte[] body(HttpServletRequest request) throws IOException {
		if (request.getContentLengthLong() > MAX_LOAD_BODY) {
			throw tooLarge();
		}
		try (InputStream in = request.getInputStream()) {
			byte[] body = in.readNBytes(MAX_LOAD_BODY + 1);
			if (body.length > MAX_LOAD_BODY) {
				throw tooLarge();
			}
			return body;
		}
	}

	private static V2Exception tooLarge() {
		return new V2Exception(413, "A load request's body is at most " + MAX_LOAD_BODY + " bytes");
	}

	private static void answer(HttpServletResponse response, int status, byte[] body) throws IOException {
		response.setStatus(status);
		response.setContentType("application/json");
		response.setContentLength(body.length);
		response.getOutputStream().write(body);
	}

}
