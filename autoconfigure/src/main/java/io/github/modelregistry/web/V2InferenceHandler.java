package io.github.modelregistry.web;

import java.util.OptionalLong;
import java.util.concurrent.RejectedExecutionException;

import io.github.modelregistry.holder.HolderState;
import io.github.modelregistry.holder.ModelUnavailableException;
import io.github.modelregistry.holder.PublishRefusedException;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelMetadata;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelStatus;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * Handles the Open Inference Protocol's REST endpoints. Everything that touches a model (decoding, inference,
 * encoding, metadata that may trigger a lazy load) runs on the {@link InferenceScheduler}; only reading the body
 * happens on the event loop.
 */
public class V2InferenceHandler {

	private static final Logger logger = LoggerFactory.getLogger(V2InferenceHandler.class);

	private static final MediaType JSON_SUFFIX = new MediaType("application", "*+json");

	private final ModelRegistry registry;

	private final InferenceScheduler scheduler;

	private final V2RequestDecoder decoder;

	private final V2ResponseEncoder encoder = new V2ResponseEncoder();

	private final int maxRequestBytes;

	private final byte[] serverMetadata;

	public V2InferenceHandler(ModelRegistry registry, InferenceScheduler scheduler, int maxRequestBytes,
			long maxElements) {
		this(registry, scheduler, maxRequestBytes, maxElements, null);
	}

	/**
	 * @param registry the models
	 * @param scheduler where inference runs
	 * @param maxRequestBytes the largest request body accepted
	 * @param maxElements the most tensor elements one request may hold
	 * @param pool where input tensors are decoded into; {@code null} for heap arrays
	 */
	public V2InferenceHandler(ModelRegistry registry, InferenceScheduler scheduler, int maxRequestBytes,
			long maxElements, @Nullable TensorBufferPool pool) {
		this.registry = registry;
		this.scheduler = scheduler;
		this.decoder = new V2RequestDecoder(maxElements, pool);
		this.maxRequestBytes = maxRequestBytes;
		String version = V2InferenceHandler.class.getPackage().getImplementationVersion();
		this.serverMetadata = ("{\"name\":\"model-registry\",\"version\":\"" + ((version != null) ? version : "dev")
				+ "\",\"extensions\":[]}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
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
			return this.scheduler.run(() -> this.encoder
				.metadata((version != null) ? this.registry.metadata(model, version) : this.registry.metadata(model)));
		}).flatMap((body) -> json(HttpStatus.OK, body)).onErrorResume(this::error);
	}

	/**
	 * {@code GET /v2/models/{name}[/versions/{version}]/ready}: the model (version) can serve (503 otherwise).
	 */
	public Mono<ServerResponse> modelReady(ServerRequest request) {
		return Mono.defer(() -> {
			String model = request.pathVariable("name");
			Long version = version(request);
			ModelStatus status = this.registry.status(model);
			boolean ready = status.state() == HolderState.Status.AVAILABLE
					&& (version == null || status.servedVersions().contains(version));
			if (version != null && !status.availableVersions().contains(version)) {
				return Mono.error(notServed(model, version, String.valueOf(status.version())));
			}
			String body = "{\"name\":" + quote(model) + ",\"ready\":" + ready + "}";
			return json(ready ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE, body);
		}).onErrorResume(this::error);
	}

	/**
	 * {@code POST /v2/models/{name}[/versions/{version}]/infer}.
	 */
	public Mono<ServerResponse> infer(ServerRequest request) {
		return Mono.defer(() -> {
			String model = request.pathVariable("name");
			Long version = version(request);
			requireJson(request);
			// Decode, infer and encode in one call on one inference thread: the pooled input buffers go back in its
			// finally, after ONNX Runtime has returned, whatever happens to the subscriber meanwhile (a time-out or a
			// client that went away cancels the Mono, not the call)
			return this.scheduler.guard(model, body(request).publishOn(this.scheduler.scheduler()).map((body) -> {
				try (InferenceRequest decoded = this.decoder.decode(body)) {
					InferenceResult result = this.registry.infer(model, version, decoded.inputs(), decoded.outputs());
					return this.encoder.inference(result, decoded.id());
				}
				finally {
					DataBufferUtils.release(body);
				}
			}).doOnDiscard(DataBuffer.class, DataBufferUtils::release));
		}).flatMap((body) -> json(HttpStatus.OK, body)).onErrorResume(this::error);
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
			.switchIfEmpty(Mono.error(() -> V2Exception.badRequest("The request body is empty")))
			.onErrorMap(DataBufferLimitException.class, (ex) -> tooLarge());
	}

	private V2Exception tooLarge() {
		return new V2Exception(HttpStatus.CONTENT_TOO_LARGE, "The request body is larger than the limit of "
				+ this.maxRequestBytes + " bytes (model-registry.web.max-request-size)");
	}

	private static void requireJson(ServerRequest request) {
		MediaType type = request.headers().contentType().orElse(null);
		// A missing Content-Type is taken as JSON, as Triton does; a different one is refused
		if (type != null && !MediaType.APPLICATION_JSON.isCompatibleWith(type) && !JSON_SUFFIX.includes(type)) {
			throw new V2Exception(HttpStatus.UNSUPPORTED_MEDIA_TYPE,
					"Content type '" + type + "' is not supported: send application/json");
		}
	}

	private static @Nullable Long version(ServerRequest request) {
		String version = request.pathVariables().get("version");
		if (version == null) {
			return null;
		}
		try {
			long parsed = Long.parseLong(version);
			if (parsed > 0) {
				return parsed;
			}
		}
		catch (NumberFormatException ex) {
			// Reported below
		}
		throw V2Exception.badRequest("Model version '" + version + "' is not a positive integer");
	}

	private static ModelNotFoundException notServed(String model, long version, String served) {
		return new ModelNotFoundException(
				"Version " + version + " of model '" + model + "' is not served; served: " + served);
	}

	private Mono<ServerResponse> error(Throwable failure) {
		HttpStatus status;
		String message = failure.getMessage();
		if (failure instanceof V2Exception v2) {
			status = v2.getStatus();
			if (v2.getRetryAfter() != null) {
				return ServerResponse.status(status)
					.header(HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, v2.getRetryAfter().toSeconds())))
					.contentType(MediaType.APPLICATION_JSON)
					.bodyValue(this.encoder.error(message));
			}
		}
		else if (failure instanceof ModelNotFoundException) {
			status = HttpStatus.NOT_FOUND;
		}
		else if (failure instanceof InvalidTensorException) {
			status = HttpStatus.BAD_REQUEST;
		}
		else if (failure instanceof ModelUnavailableException) {
			status = HttpStatus.SERVICE_UNAVAILABLE;
		}
		else if (failure instanceof PublishRefusedException) {
			status = HttpStatus.CONFLICT;
		}
		else if (failure instanceof RejectedExecutionException) {
			status = HttpStatus.TOO_MANY_REQUESTS;
			message = "Too many inferences are waiting; try again later";
		}
		else {
			status = HttpStatus.INTERNAL_SERVER_ERROR;
			logger.error("Inference request failed", failure);
			message = "Inference failed: " + failure.getClass().getSimpleName()
					+ ((failure.getMessage() != null) ? ": " + failure.getMessage() : "");
		}
		return json(status, this.encoder.error((message != null) ? message : status.getReasonPhrase()));
	}

	private static Mono<ServerResponse> json(HttpStatus status, String body) {
		return json(status, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
	}

	private static Mono<ServerResponse> json(HttpStatus status, byte[] body) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).bodyValue(body);
	}

	private String quote(String value) {
		// Model names are looked up, not trusted: escape them like any other string
		String encoded = new String(this.encoder.error(value), java.nio.charset.StandardCharsets.UTF_8);
		return encoded.substring("{\"error\":".length(), encoded.length() - 1);
	}

}
