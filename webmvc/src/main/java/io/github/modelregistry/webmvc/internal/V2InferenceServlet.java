package io.github.modelregistry.webmvc.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.protocol.RequestBytes;
import io.github.modelregistry.protocol.V2Errors;
import io.github.modelregistry.protocol.V2Exception;
import io.github.modelregistry.protocol.V2HttpRequests;
import io.github.modelregistry.protocol.V2InferenceRequest;
import io.github.modelregistry.protocol.V2RequestDecoder;
import io.github.modelregistry.protocol.V2ResponseEncoder;
import io.github.modelregistry.registry.InferenceRequest;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelMetadata;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.ServerHttpObservationFilter;

/**
 * The Open Inference Protocol's REST endpoints in a servlet container (Tomcat in a Spring MVC application): a face
 * of the {@link ModelRegistry}, with the same answers, errors and bounds as the WebFlux face.
 * <p>
 * An inference request is refused at once, before its body is read, if it names a model the registry does not
 * serve. Otherwise its whole body is read, bounded in size ({@code model-registry.web.max-request-size}, 413) and in
 * time ({@code model-registry.web.body-timeout}, 408), and decoded (into pooled direct buffers when the tensor pool
 * is on) before the registry is asked to run it: a slow or broken upload never holds a model's permit and never
 * counts against its circuit breaker. With {@value V2HttpRequests#HEADER_LENGTH}, the body is JSON followed by raw
 * tensors (the binary tensor data extension), and the answer may be too.
 *
 * <h2>Implementation</h2>
 * An inference (and a model's metadata, which may load a lazy model) is an asynchronous exchange on the servlet's
 * non-blocking I/O: the container thread that took the request starts it and returns; the body arrives through a
 * {@link ReadListener} into one array (of the declared length, or growing to the limit for a chunked body), so a
 * client that trickles its body holds no thread, only its bytes; the registry runs the model on its inference pool;
 * the answer is encoded on that pool's thread and written through a {@link WriteListener}, so a client that does not
 * read its answer holds no thread either. One shared timer thread ends bodies that do not arrive in time. Each
 * exchange moves through three states, once each: reading, running, answered. Whoever moves it to answered (the
 * body's end with a decoding error, the inference's completion, the body's deadline, the container's time-out, a
 * broken connection) is the only one to touch the response, so an exchange is answered exactly once. The container's
 * time-out of an exchange is the body time-out plus {@link #ANSWER_TIMEOUT}: an inference that has not answered by
 * then gets a 504, and a client that has not read its answer by then loses its connection. When the server begins
 * to shut down ({@link #stopReadingBodies()}), bodies still arriving get {@link #SHUTDOWN_BODY_GRACE} more, then a
 * 503 that closes the connection.
 * <p>
 * Costs per inference: the body's bytes once (the decoder reads the array in place; a chunked body is copied once
 * more to its length), one timer entry, and one hand-over to a container thread to write the answer.
 */
@SuppressWarnings("serial")
public final class V2InferenceServlet extends HttpServlet {

	private static final Logger logger = LoggerFactory.getLogger(V2InferenceServlet.class);

	/** How long an exchange may take after its body has arrived: the inference and the answer's writing. */
	public static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(30);

	/** How long a body still arriving when the server begins to shut down may go on arriving. */
	public static final Duration SHUTDOWN_BODY_GRACE = Duration.ofSeconds(1);

	private static final MediaType JSON_SUFFIX = new MediaType("application", "*+json");

	private static final String JSON = "application/json";

	/** The first array a chunked body is read into; it doubles up to the limit. */
	private static final int FIRST_CHUNKED_CAPACITY = 8 * 1024;

	private static final int READING = 0;

	private static final int RUNNING = 1;

	private static final int ANSWERED = 2;

	private final transient ModelRegistry registry;

	private final transient V2RequestDecoder decoder;

	private final transient V2ResponseEncoder encoder = new V2ResponseEncoder();

	private final int maxRequestBytes;

	private final Duration bodyTimeout;

	private final byte[] serverMetadata;

	private final transient ScheduledThreadPoolExecutor deadlines;

	/** The exchanges whose bodies are still arriving: given a last short while when the server shuts down. */
	private final transient java.util.Set<Exchange> reading = java.util.concurrent.ConcurrentHashMap.newKeySet();

	/** Whether the server has begun to shut down: a 503 then also closes its connection. */
	private volatile boolean shuttingDown;

	/**
	 * @param registry the models
	 * @param maxRequestBytes the largest request body accepted
	 * @param bodyTimeout the longest a client may take to send a body
	 * @param maxElements the most tensor elements one request may hold
	 * @param pool where input tensors are decoded into; {@code null} for heap buffers
	 */
	public V2InferenceServlet(ModelRegistry registry, int maxRequestBytes, Duration bodyTimeout, long maxElements,
			@Nullable TensorBufferPool pool) {
		this.registry = registry;
		this.decoder = new V2RequestDecoder(maxElements, pool);
		this.maxRequestBytes = maxRequestBytes;
		this.bodyTimeout = bodyTimeout;
		this.serverMetadata = V2HttpRequests
			.serverMetadata(V2InferenceServlet.class.getPackage().getImplementationVersion());
		this.deadlines = new ScheduledThreadPoolExecutor(1, (task) -> {
			Thread thread = new Thread(task, "model-registry-v2-deadlines");
			thread.setDaemon(true);
			return thread;
		});
		this.deadlines.setRemoveOnCancelPolicy(true);
	}

	@Override
	public void destroy() {
		this.deadlines.shutdownNow();
	}

	/**
	 * Stops waiting for request bodies: bodies still arriving get {@link #SHUTDOWN_BODY_GRACE} more, then a 503, so
	 * that a graceful shutdown waits for inferences, not for uploads that stalled. Called as the server begins to
	 * shut down; requests whose bodies are in go on. From then on every 503 (a body too late, or a model the closing
	 * registry no longer serves) carries {@code Connection: close}, so that a kept-alive client reconnects elsewhere.
	 */
	public void stopReadingBodies() {
		this.shuttingDown = true;
		for (Exchange exchange : this.reading) {
			exchange.shortenDeadline();
		}
	}

	@Override
	protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
		try {
			route(request, response);
		}
		catch (RuntimeException failure) {
			if (!request.isAsyncStarted()) {
				writeError(response, V2Errors.of(failure), request.getMethod());
			}
		}
	}

	/**
	 * Routes {@code /v2[/...]}: the path's segments after {@code /v2}, without a regular expression or a path
	 * pattern per request.
	 */
	private void route(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String[] path = segments(request.getPathInfo());
		String method = request.getMethod();
		boolean read = "GET".equals(method) || "HEAD".equals(method);
		if (path.length == 0) {
			requireRead(response, read, method, "/v2");
			observed(request, "/v2");
			write(response, 200, this.serverMetadata, method);
		}
		else if (path.length == 2 && "health".equals(path[0]) && "live".equals(path[1])) {
			requireRead(response, read, method, "/v2/health/live");
			observed(request, "/v2/health/live");
			write(response, 200, "{\"live\":true}".getBytes(java.nio.charset.StandardCharsets.UTF_8), method);
		}
		else if (path.length == 2 && "health".equals(path[0]) && "ready".equals(path[1])) {
			requireRead(response, read, method, "/v2/health/ready");
			observed(request, "/v2/health/ready");
			boolean ready = this.registry.ready();
			write(response, ready ? 200 : 503,
					("{\"ready\":" + ready + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8), method);
		}
		else if (path.length >= 2 && "models".equals(path[0])) {
			model(request, response, path, method, read);
		}
		else {
			throw new V2Exception(404, "No V2 endpoint at '" + request.getRequestURI() + "'");
		}
	}

	private void model(HttpServletRequest request, HttpServletResponse response, String[] path, String method,
			boolean read) throws IOException {
		String model = path[1];
		int rest = 2;
		String version = null;
		if (path.length >= 4 && "versions".equals(path[2])) {
			version = path[3];
			rest = 4;
		}
		String pattern = "/v2/models/{name}" + ((version != null) ? "/versions/{version}" : "");
		if (path.length == rest) {
			requireRead(response, read, method, pattern);
			observed(request, pattern);
			metadata(request, response, model, V2HttpRequests.version(version));
		}
		else if (path.length == rest + 1 && "ready".equals(path[rest])) {
			requireRead(response, read, method, pattern + "/ready");
			observed(request, pattern + "/ready");
			Long served = V2HttpRequests.version(version);
			boolean ready = this.registry.ready(model, served);
			write(response, ready ? 200 : 503, V2HttpRequests.modelReady(this.encoder, model, ready), method);
		}
		else if (path.length == rest + 1 && "infer".equals(path[rest])) {
			if (!"POST".equals(method)) {
				throw methodNotAllowed(response, method, pattern + "/infer", "POST");
			}
			observed(request, pattern + "/infer");
			infer(request, response, model, V2HttpRequests.version(version));
		}
		else {
			throw new V2Exception(404, "No V2 endpoint at '" + request.getRequestURI() + "'");
		}
	}

	private void metadata(HttpServletRequest request, HttpServletResponse response, String model,
			@Nullable Long version) {
		// A lazy model not loaded yet loads on the registry's pool, not on a container thread
		CompletableFuture<ModelMetadata> metadata = this.registry.metadataAsync(model, version);
		Exchange exchange = new Exchange(request, response, RUNNING);
		metadata.whenComplete((answer, failure) -> {
			if (failure != null) {
				exchange.fail(failure);
			}
			else {
				exchange.answer(200, JSON, -1, this.encoder.metadata(answer));
			}
		});
	}

	private void infer(HttpServletRequest request, HttpServletResponse response, String model,
			@Nullable Long version) throws IOException {
		// Before any work, an unknown model or unserved version is refused (no body read, no permit asked for);
		// the inputs are checked against the served version's as they are decoded
		V2RequestDecoder.Expected expected = this.registry.expectedInputs(model, version)
			.map((inputs) -> new V2RequestDecoder.Expected(model, inputs))
			.orElse(null);
		int headerLength = V2HttpRequests.headerLength(headerValues(request, V2HttpRequests.HEADER_LENGTH));
		requireJson(request, headerLength);
		long declared = request.getContentLengthLong();
		if (declared > this.maxRequestBytes) {
			response.setHeader(HttpHeaders.CONNECTION, "close");
			throw tooLarge();
		}
		if (declared == 0) {
			throw V2Exception.badRequest("The request body is empty");
		}
		Exchange exchange = new Exchange(request, response, READING);
		exchange.read(declared, (body) -> {
			V2InferenceRequest decoded = this.decoder.decode(body, expected, headerLength);
			// From here the registry owns the pooled buffers and hands them back once the runtime has returned,
			// whatever happens to this exchange meanwhile (a time-out or a client that went away)
			CompletableFuture<InferenceResult> answer = this.registry.inferAsync(model, version,
					new InferenceRequest(decoded.inputs(), decoded.outputs(), decoded::close));
			answer.whenComplete((result, failure) -> {
				if (failure != null) {
					exchange.fail(failure);
					return;
				}
				V2ResponseEncoder.Answer encoded;
				try {
					encoded = this.encoder.inference(result, decoded.id(), decoded.binary());
				}
				catch (RuntimeException ex) {
					exchange.fail(ex);
					return;
				}
				exchange.answer(200, (encoded.headerLength() < 0) ? JSON : MediaType.APPLICATION_OCTET_STREAM_VALUE,
						encoded.headerLength(), encoded.body());
			});
		});
	}

	private V2Exception tooLarge() {
		return new V2Exception(413, "The request body is larger than the limit of " + this.maxRequestBytes
				+ " bytes (model-registry.web.max-request-size)");
	}

	private static List<String> headerValues(HttpServletRequest request, String name) {
		java.util.Enumeration<String> values = request.getHeaders(name);
		return (values != null && values.hasMoreElements()) ? Collections.list(values) : List.of();
	}

	private static void requireJson(HttpServletRequest request, int headerLength) {
		String header = request.getContentType();
		if (header == null) {
			// A missing Content-Type is taken as JSON, as Triton does (its client sends none)
			return;
		}
		MediaType type;
		try {
			type = MediaType.parseMediaType(header);
		}
		catch (InvalidMediaTypeException ex) {
			throw new V2Exception(415, "Content type '" + header + "' is not a media type: send application/json");
		}
		if (!MediaType.APPLICATION_JSON.isCompatibleWith(type) && !JSON_SUFFIX.includes(type)
				&& !(headerLength > 0 && MediaType.APPLICATION_OCTET_STREAM.isCompatibleWith(type))) {
			throw new V2Exception(415, "Content type '" + type + "' is not supported: "
					+ "send application/json, or application/octet-stream with " + V2HttpRequests.HEADER_LENGTH);
		}
	}

	private static void requireRead(HttpServletResponse response, boolean read, String method, String pattern) {
		if (!read) {
			throw methodNotAllowed(response, method, pattern, "GET, HEAD");
		}
	}

	private static V2Exception methodNotAllowed(HttpServletResponse response, String method, String pattern,
			String allowed) {
		response.setHeader(HttpHeaders.ALLOW, allowed);
		return new V2Exception(405, method + " is not supported on " + pattern + ": use " + allowed);
	}

	/**
	 * Names the route in the request's {@code http.server.requests} observation, as Spring MVC's handler mappings
	 * do for their own routes (the {@code uri} tag), rather than leaving it {@code UNKNOWN}.
	 */
	private static void observed(HttpServletRequest request, String pattern) {
		ServerHttpObservationFilter.findObservationContext(request)
			.ifPresent((context) -> context.setPathPattern(request.getServletPath() + pattern.substring(3)));
	}

	private static String[] segments(@Nullable String pathInfo) {
		if (pathInfo == null || pathInfo.equals("/")) {
			return new String[0];
		}
		String path = pathInfo.startsWith("/") ? pathInfo.substring(1) : pathInfo;
		return path.split("/", -1);
	}

	private void writeError(HttpServletResponse response, V2Exception error, String method) throws IOException {
		String retryAfter = V2Errors.retryAfterSeconds(error.getRetryAfter());
		if (retryAfter != null) {
			response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter);
		}
		if (error.getStatus() == 503 && this.shuttingDown) {
			response.setHeader(HttpHeaders.CONNECTION, "close");
		}
		write(response, error.getStatus(), this.encoder.error(String.valueOf(error.getMessage())), method);
	}

	/**
	 * Writes a short answer on the container thread that took the request (blocking, as Spring MVC writes its own).
	 */
	private static void write(HttpServletResponse response, int status, byte[] body, String method)
			throws IOException {
		response.setStatus(status);
		response.setContentType(JSON);
		response.setContentLength(body.length);
		if (!"HEAD".equals(method)) {
			response.getOutputStream().write(body);
		}
	}

	/**
	 * Work to do with a complete body, on the container thread that read its end.
	 */
	@FunctionalInterface
	private interface BodyHandler {

		void handle(RequestBytes body);

	}

	/**
	 * One asynchronous exchange: reading, running, answered, in that order, each once (see the class comment).
	 */
	private final class Exchange implements AsyncListener {

		private final AsyncContext async;

		private final HttpServletRequest request;

		private final HttpServletResponse response;

		private final String method;

		private final AtomicInteger state;

		private @Nullable ScheduledFuture<?> deadline;

		Exchange(HttpServletRequest request, HttpServletResponse response, int state) {
			this.request = request;
			this.response = response;
			this.method = request.getMethod();
			this.state = new AtomicInteger(state);
			this.async = request.startAsync(request, response);
			this.async.setTimeout(V2InferenceServlet.this.bodyTimeout.plus(ANSWER_TIMEOUT).toMillis());
			this.async.addListener(this);
		}

		/**
		 * Reads the body without blocking a thread, then hands it to the handler unless the exchange was answered
		 * meanwhile.
		 * @param declared the declared length, or -1 for a chunked body
		 */
		void read(long declared, BodyHandler handler) throws IOException {
			this.deadline = V2InferenceServlet.this.deadlines.schedule(this::bodyTimedOut,
					V2InferenceServlet.this.bodyTimeout.toMillis(), TimeUnit.MILLISECONDS);
			V2InferenceServlet.this.reading.add(this);
			if (V2InferenceServlet.this.shuttingDown) {
				shortenDeadline();
			}
			ServletInputStream in = this.request.getInputStream();
			in.setReadListener(new BodyReader(in, declared, handler));
		}

		/**
		 * The server is shutting down: the body has {@link #SHUTDOWN_BODY_GRACE} more, then a 503.
		 */
		void shortenDeadline() {
			ScheduledFuture<?> pending = this.deadline;
			if (pending != null) {
				pending.cancel(false);
			}
			this.deadline = V2InferenceServlet.this.deadlines.schedule(() -> {
				if (this.state.get() == READING) {
					fail(new V2Exception(503, "The server is shutting down and the request body did not arrive in "
							+ "time; send it again"));
				}
			}, SHUTDOWN_BODY_GRACE.toMillis(), TimeUnit.MILLISECONDS);
		}

		private void bodyTimedOut() {
			if (this.state.get() == READING) {
				this.response.setHeader(HttpHeaders.CONNECTION, "close");
				fail(new V2Exception(408, "The request body did not arrive within "
						+ V2InferenceServlet.this.bodyTimeout.toMillis() + " ms (model-registry.web.body-timeout)"));
			}
		}

		/**
		 * Answers a failure through the face's one table ({@link V2Errors}).
		 */
		void fail(Throwable failure) {
			V2Exception error = V2Errors.of(failure);
			String retryAfter = V2Errors.retryAfterSeconds(error.getRetryAfter());
			if (!claim()) {
				return;
			}
			if (retryAfter != null) {
				this.response.setHeader(HttpHeaders.RETRY_AFTER, retryAfter);
			}
			if (error.getStatus() == 503 && V2InferenceServlet.this.shuttingDown) {
				// A kept-alive client should take its next request to another replica, not to this connection
				this.response.setHeader(HttpHeaders.CONNECTION, "close");
			}
			send(error.getStatus(), JSON, -1, V2InferenceServlet.this.encoder.error(String.valueOf(error.getMessage())));
		}

		void answer(int status, String contentType, int headerLength, byte[] body) {
			if (claim()) {
				send(status, contentType, headerLength, body);
			}
		}

		/**
		 * Moves the exchange to answered: true for the one caller that did.
		 */
		private boolean claim() {
			V2InferenceServlet.this.reading.remove(this);
			if (this.state.getAndSet(ANSWERED) == ANSWERED) {
				return false;
			}
			ScheduledFuture<?> pending = this.deadline;
			if (pending != null) {
				pending.cancel(false);
			}
			return true;
		}

		/**
		 * Writes the answer through a write listener: from whichever thread calls, the container writes on its own
		 * thread once the connection can take the bytes, and no thread waits on a client that does not read.
		 */
		private void send(int status, String contentType, int headerLength, byte[] body) {
			try {
				this.response.setStatus(status);
				this.response.setContentType(contentType);
				if (headerLength >= 0) {
					this.response.setHeader(V2HttpRequests.HEADER_LENGTH, Integer.toString(headerLength));
				}
				byte[] payload = "HEAD".equals(this.method) ? new byte[0] : body;
				this.response.setContentLength(body.length);
				ServletOutputStream out = this.response.getOutputStream();
				out.setWriteListener(new AnswerWriter(out, payload));
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not answer a V2 request: {}", ex.toString());
				this.async.complete();
			}
		}

		/**
		 * The container's time-out: an inference that has not answered gets a 504, written here on the container's
		 * thread; an answer the client has not read ends its exchange.
		 */
		@Override
		public void onTimeout(AsyncEvent event) throws IOException {
			if (this.state.getAndSet(ANSWERED) != ANSWERED) {
				writeError(this.response, new V2Exception(504, "The inference did not answer within "
						+ ANSWER_TIMEOUT.toSeconds() + " s of its request's arrival"), this.method);
			}
			this.async.complete();
		}

		@Override
		public void onError(AsyncEvent event) {
			this.state.set(ANSWERED);
			this.async.complete();
		}

		@Override
		public void onComplete(AsyncEvent event) {
			V2InferenceServlet.this.reading.remove(this);
			ScheduledFuture<?> pending = this.deadline;
			if (pending != null) {
				pending.cancel(false);
			}
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

		/**
		 * Reads the body as it arrives, on the container's threads.
		 */
		private final class BodyReader implements ReadListener {

			private final ServletInputStream in;

			private final boolean chunked;

			private final BodyHandler handler;

			private byte[] body;

			private int length;

			BodyReader(ServletInputStream in, long declared, BodyHandler handler) {
				this.in = in;
				this.chunked = declared < 0;
				this.handler = handler;
				this.body = new byte[this.chunked
						? Math.min(FIRST_CHUNKED_CAPACITY, V2InferenceServlet.this.maxRequestBytes + 1) : (int) declared];
			}

			@Override
			public void onDataAvailable() throws IOException {
				while (Exchange.this.state.get() == READING && this.in.isReady() && !this.in.isFinished()) {
					if (this.length == this.body.length) {
						if (!this.chunked || this.length > V2InferenceServlet.this.maxRequestBytes) {
							break;
						}
						this.body = java.util.Arrays.copyOf(this.body,
								(int) Math.min(this.body.length * 2L, V2InferenceServlet.this.maxRequestBytes + 1L));
					}
					int read = this.in.read(this.body, this.length, this.body.length - this.length);
					if (read < 0) {
						break;
					}
					this.length += read;
					if (this.length > V2InferenceServlet.this.maxRequestBytes) {
						// A chunked body past the limit: answer now, and close rather than read the rest
						Exchange.this.response.setHeader(HttpHeaders.CONNECTION, "close");
						fail(tooLarge());
						return;
					}
				}
			}

			@Override
			public void onAllDataRead() {
				V2InferenceServlet.this.reading.remove(Exchange.this);
				if (!Exchange.this.state.compareAndSet(READING, RUNNING)) {
					return;
				}
				ScheduledFuture<?> pending = Exchange.this.deadline;
				if (pending != null) {
					pending.cancel(false);
				}
				try {
					if (this.length == 0) {
						throw V2Exception.badRequest("The request body is empty");
					}
					byte[] bytes = (this.length == this.body.length) ? this.body
							: java.util.Arrays.copyOf(this.body, this.length);
					this.handler.handle(RequestBytes.of(bytes));
				}
				catch (RuntimeException failure) {
					fail(failure);
				}
			}

			/**
			 * The body broke off (the client went away, or its framing did not decode): answer if the connection
			 * still takes an answer, on this container thread.
			 */
			@Override
			public void onError(Throwable failure) {
				if (Exchange.this.state.getAndSet(ANSWERED) != ANSWERED) {
					logger.debug("A V2 request body broke off: {}", failure.toString());
					V2Exception error = timedOut(failure) ? new V2Exception(408, "The request body stopped arriving "
							+ "for longer than the server's read time-out (model-registry.web.header-timeout, or "
							+ "server.tomcat.connection-timeout when it is set)")
							: V2Exception.badRequest("The request body broke off or its HTTP framing is malformed");
					try {
						Exchange.this.response.setHeader(HttpHeaders.CONNECTION, "close");
						writeError(Exchange.this.response, error, Exchange.this.method);
					}
					catch (IOException | RuntimeException ex) {
						// The client is gone
					}
				}
				Exchange.this.async.complete();
			}

		}

		private static boolean timedOut(Throwable failure) {
			for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
				if (cause instanceof java.net.SocketTimeoutException) {
					return true;
				}
			}
			return false;
		}

		/**
		 * Writes the answer once the connection can take it, then completes the exchange.
		 */
		private final class AnswerWriter implements WriteListener {

			private final ServletOutputStream out;

			private byte @Nullable [] pending;

			AnswerWriter(ServletOutputStream out, byte[] body) {
				this.out = out;
				this.pending = body;
			}

			@Override
			public void onWritePossible() throws IOException {
				byte[] body = this.pending;
				if (body != null) {
					this.pending = null;
					this.out.write(body);
				}
				if (this.out.isReady()) {
					Exchange.this.async.complete();
				}
			}

			@Override
			public void onError(Throwable failure) {
				logger.debug("A V2 answer could not be written: {}", failure.toString());
				Exchange.this.async.complete();
			}

		}

	}

}
