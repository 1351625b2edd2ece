package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.protocol.V2ResponseEncoder;
import io.github.modelregistry.protocol.V2RequestDecoder;
import io.github.modelregistry.protocol.V2InferenceRequest;
import io.github.modelregistry.protocol.V2Exception;
import io.github.modelregistry.protocol.V2Errors;
import io.github.modelregistry.protocol.V2HttpRequests;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;

import io.github.modelregistry.registry.InferenceRequest;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Handles the Open Inference Protocol's REST endpoints: a face of the {@link ModelRegistry}, which it only reads and
 * bounds requests for, and translates answers and failures from (through {@link V2Errors}'s one table).
 * <p>
 * An inference request is refused at once, before its body is read, if it names a model the registry does not
 * serve. Otherwise its whole body is read, bounded in size ({@code model-registry.web.max-request-size}, 413) and in
 * time ({@code model-registry.web.body-timeout}, 408), and decoded (into pooled direct buffers when the tensor pool
 * is on) before the registry is asked to run it: a slow or broken upload never holds a model's permit and never
 * counts against its circuit breaker. The registry runs the model on its inference pool and hands the pooled
 * buffers back once the runtime has returned; the answer is encoded on that pool's thread, not on the event loop.
 * With {@value #HEADER_LENGTH}, the body is JSON followed by raw tensors (the binary tensor data extension), and the
 * answer may be too.
 */
public final class V2InferenceHandler {

	private static final MediaType JSON_SUFFIX = new MediaType("application", "*+json");

	/** The binary tensor data extension's header: the length of the JSON that the raw tensors follow. */
	public static final String HEADER_LENGTH = V2RequestDecoder.HEADER_LENGTH;

	/** How long a body still arriving when the server begins to shut down may go on arriving. */
	public static final Duration SHUTDOWN_BODY_GRACE = Duration.ofSeconds(1);

	private final ModelRegistry registry;

	private final V2RequestDecoder decoder;

	private final V2ResponseEncoder encoder = new V2ResponseEncoder();

	private final int maxRequestBytes;

	private final Duration bodyTimeout;

	private final byte[] serverMetadata;

	/** Completes when the server begins to shut down: bodies still arriving then get a last short while. */
	private final Sinks.Empty<Void> stopping = Sinks.empty();

	/** Whether the server has begun to shut down: a 503 then also closes its connection. */
	private volatile boolean shuttingDown;

	/**
	 * @param registry the models
	 * @param maxRequestBytes the largest request body accepted
	 * @param bodyTimeout the longest a client may take to send a body
	 * @param maxElements the most tensor elements one request may hold
	 * @param pool where input tensors are decoded into; {@code null} for heap buffers
	 */
	public V2InferenceHandler(ModelRegistry registry, int maxRequestBytes, Duration bodyTimeout, long maxElements,
			@Nullable TensorBufferPool pool) {
		this.registry = registry;
		this.decoder = new V2RequestDecoder(maxElements, pool);
		this.maxRequestBytes = maxRequestBytes;
		this.bodyTimeout = bodyTimeout;
		this.serverMetadata = V2HttpRequests
			.serverMetadata(V2InferenceHandler.class.getPackage().getImplementationVersion());
	}

	/**
	 * Stops waiting for request bodies: bodies still arriving get {@link #SHUTDOWN_BODY_GRACE} more, then a 503, so
	 * that a graceful shutdown waits for inferences, not for uploads that stalled. Called as the server begins to
	 * shut down; requests whose bodies are in go on. From then on every 503 (a body too late, or a model the closing
	 * registry no longer serves) carries {@code Connection: close}, so that a kept-alive client reconnects elsewhere.
	 */
	public void stopReadingBodies() {
		this.shuttingDown = true;
		this.stopping.tryEmitEmpty();
	}

	/**
	 * {@code GET /v2}: server name, version and extensions.
	 */
	public Mono<ServerResponse> server(ServerRequest request) {
		return json(HttpStatus.OK, this.serverMetadata);
	}

	/**
	 * {@code GET /v2/health/live}: the server answers.
	 */
	public Mono<ServerResponse> live(ServerRequest request) {
		return json(HttpStatus.OK, "{\"live\":true}");
	}

	/**
	 * {@code GET /v2/health/ready}: every eager model is available (503 otherwise).
	 */
	public Mono<ServerResponse> ready(ServerRequest request) {
		boolean ready = this.registry.ready();
		return json(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, "{\"ready\":" + ready + "}");
	}

	/**
	 * {@code GET /v2/models/{name}[/versions/{version}]}: inputs, outputs, versions and platform.
	 */
	public Mono<ServerResponse> metadata(ServerRequest request) {
		return Mono.defer(() -> {
			String model = request.pathVariable("name");
			Long version = version(request);
			// A lazy model not loaded yet loads on the registry's pool, not here
			return Mono.fromFuture(() -> this.registry.metadataAsync(model, version));
		}).map(this.encoder::metadata).flatMap((body) -> json(HttpStatus.OK, body)).onErrorResume(this::error);
	}

	/**
	 * {@code GET /v2/models/{name}[/versions/{version}]/ready}: the model (version) can serve (503 otherwise).
	 */
	public Mono<ServerResponse> modelReady(ServerRequest request) {
		return Mono.defer(() -> {
			String model = request.pathVariable("name");
			Long version = version(request);
			boolean ready = this.registry.ready(model, version);
			return json(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE,
					V2HttpRequests.modelReady(this.encoder, model, ready));
		}).onErrorResume(this::error);
	}

	/**
	 * {@code POST /v2/models/{name}[/versions/{version}]/infer}.
	 */
	public Mono<ServerResponse> infer(ServerRequest request) {
		return Mono.defer(() -> {
			String model = request.pathVariable("name");
			Long version = version(request);
			// Before any work, an unknown model or unserved version is refused (no body read, no permit asked for);
			// the inputs are checked against the served version's as they are decoded
			V2RequestDecoder.Expected expected = this.registry.expectedInputs(model, version)
				.map((inputs) -> new V2RequestDecoder.Expected(model, inputs))
				.orElse(null);
			int headerLength = headerLength(request);
			requireJson(request, headerLength);
			return body(request).flatMap((body) -> {
				V2InferenceRequest decoded;
				try {
					decoded = this.decoder.decode(DataBufferBytes.of(body), expected, headerLength);
				}
				finally {
					DataBufferUtils.release(body);
				}
				// From here the registry owns the pooled buffers and hands them back once the runtime has returned,
				// whatever happens to this subscriber meanwhile (a time-out or a client that went away cancels the
				// wait, not the run). Called now, not on subscription, so that no cancellation can strand them.
				CompletableFuture<InferenceResult> answer = this.registry.inferAsync(model, version,
						new InferenceRequest(decoded.inputs(), decoded.outputs(), decoded::close));
				return Mono.fromFuture(answer)
					.map((result) -> this.encoder.inference(result, decoded.id(), decoded.binary()));
			});
		}).flatMap(V2InferenceHandler::answer).onErrorResume((failure) -> error(request, failure));
	}

	private static Mono<ServerResponse> answer(V2ResponseEncoder.Answer answer) {
		if (answer.headerLength() < 0) {
			return json(HttpStatus.OK, answer.body());
		}
		return ServerResponse.ok()
			.contentType(MediaType.APPLICATION_OCTET_STREAM)
			.header(HEADER_LENGTH, Integer.toString(answer.headerLength()))
			.body(EncodedBody.of(answer.body()));
	}

	private static int headerLength(ServerRequest request) {
		return V2HttpRequests.headerLength(request.headers().header(HEADER_LENGTH));
	}

	/**
	 * Joins the body's chunks, without copying them (Netty composes them); the subscriber releases the buffer.
	 */
	private Mono<DataBuffer> body(ServerRequest request) {
		OptionalLong length = request.headers().contentLength();
		if (length.isPresent() && length.getAsLong() > this.maxRequestBytes) {
			return Mono.error(tooLarge());
		}
		return DataBufferUtils.join(request.body(BodyExtractors.toDataBuffers()), this.maxRequestBytes)
			// No doOnDiscard here: join releases what it drops itself, and a second hook would release it twice
			.timeout(this.bodyTimeout, EventLoopTimers.of(request.exchange().getRequest()))
			.switchIfEmpty(Mono.error(() -> V2Exception.badRequest("The request body is empty")))
			.or(this.stopping.asMono()
				.then(Mono.delay(SHUTDOWN_BODY_GRACE))
				.then(Mono.error(() -> new V2Exception(HttpStatus.SERVICE_UNAVAILABLE.value(),
						"The server is shutting down and the request body did not arrive in time; send it again"))))
			.onErrorMap(DataBufferLimitException.class, (ex) -> tooLarge())
			.onErrorMap(TimeoutException.class, (ex) -> new V2Exception(HttpStatus.REQUEST_TIMEOUT.value(),
					"The request body did not arrive within " + this.bodyTimeout.toMillis()
							+ " ms (model-registry.web.body-timeout)"));
	}

	private V2Exception tooLarge() {
		return new V2Exception(HttpStatus.CONTENT_TOO_LARGE.value(), "The request body is larger than the limit of "
				+ this.maxRequestBytes + " bytes (model-registry.web.max-request-size)");
	}

	private static void requireJson(ServerRequest request, int headerLength) {
		MediaType type;
		try {
			type = request.headers().contentType().orElse(null);
		}
		catch (InvalidMediaTypeException ex) {
			throw new V2Exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(), "Content type '"
					+ request.headers().firstHeader(HttpHeaders.CONTENT_TYPE) + "' is not a media type: send application/json");
		}
		// A missing Content-Type is taken as JSON, as Triton does (its client sends none); a different one is
		// refused, but for octet-stream with raw tensors after the JSON
		if (type != null && !MediaType.APPLICATION_JSON.isCompatibleWith(type) && !JSON_SUFFIX.includes(type)
				&& !(headerLength > 0 && MediaType.APPLICATION_OCTET_STREAM.isCompatibleWith(type))) {
			throw new V2Exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE.value(), "Content type '" + type + "' is not supported: "
					+ "send application/json, or application/octet-stream with " + HEADER_LENGTH);
		}
	}

	private static @Nullable Long version(ServerRequest request) {
		return V2HttpRequests.version(request.pathVariables().get("version"));
	}

	/**
	 * Answers an inference's failure, unless the server has answered already (Reactor Netty does when a request's
	 * framing breaks, unless {@link HttpConnectionGuards} are on). A body cut short by broken framing is answered
	 * with what broke, not with what the cut body looks like.
	 */
	private Mono<ServerResponse> error(ServerRequest request, Throwable failure) {
		if (request.exchange().getResponse().isCommitted()) {
			return Mono.empty();
		}
		String malformed = MalformedRequestHandler.malformed(request.exchange().getRequest());
		return error((malformed != null) ? V2Exception.badRequest(malformed) : failure);
	}

	private Mono<ServerResponse> error(Throwable failure) {
		V2Exception answer = V2Errors.of(failure);
		HttpStatus status = HttpStatus.valueOf(answer.getStatus());
		String message = (answer.getMessage() != null) ? answer.getMessage() : status.getReasonPhrase();
		String retryAfter = V2Errors.retryAfterSeconds(answer.getRetryAfter());
		ServerResponse.BodyBuilder response = ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON);
		if (retryAfter != null) {
			response.header(HttpHeaders.RETRY_AFTER, retryAfter);
		}
		if (status == HttpStatus.SERVICE_UNAVAILABLE && this.shuttingDown) {
			// A kept-alive client should take its next request to another replica, not to this connection
			response.header(HttpHeaders.CONNECTION, "close");
		}
		return response.body(EncodedBody.of(this.encoder.error(message)));
	}

	private static Mono<ServerResponse> json(HttpStatus status, String body) {
		return json(status, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static Mono<ServerResponse> json(HttpStatus status, byte[] body) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(EncodedBody.of(body));
	}

}
