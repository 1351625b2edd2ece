package io.github.modelregistry.webflux.internal;

import io.github.modelregistry.protocol.V2ResponseEncoder;
import io.github.modelregistry.protocol.V2Exception;
import io.github.modelregistry.protocol.V2Errors;
import io.github.modelregistry.protocol.LoadParameters;
import java.nio.charset.StandardCharsets;

import io.github.modelregistry.registry.ModelRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferLimitException;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.util.function.ThrowingFunction;
import org.springframework.web.reactive.function.BodyExtractors;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

/**
 * The Open Inference Protocol's model repository extension, a face of the {@link ModelRegistry}: {@code POST
 * /v2/repository/index} lists the models under the base path and those served, {@code POST
 * /v2/repository/models/{name}/load} registers one by name and {@code .../unload} unregisters it. Served on the
 * management server only, and only when {@code model-registry.web.repository.enabled} is set.
 * <p>
 * Every call needs an authenticated principal: one that the application's security (Spring Security's HTTP Basic
 * in the sample) put on the exchange. Without one the answer is 401, whatever the security rules permit, so that
 * turning the extension on can never open model loading to anonymous callers. Loads, unloads and listings touch the
 * disk and wait for models: they run on Reactor's bounded elastic scheduler, never on the event loop. Failures are
 * the registry's exceptions through {@link V2Errors}: 400 for a name that is not a folder name inside the base path,
 * 404 for an unknown model, 409 for one served already, 422 for a folder that does not load.
 */
public final class V2RepositoryHandler {

	private static final byte[] EMPTY = "{}".getBytes(StandardCharsets.UTF_8);

	/** The largest load request body read: a load's parameters are a few bytes. */
	static final int MAX_LOAD_BODY = 4096;

	private final ModelRegistry registry;

	private final V2ResponseEncoder encoder = new V2ResponseEncoder();

	public V2RepositoryHandler(ModelRegistry registry) {
		this.registry = registry;
	}

	/**
	 * {@code POST /v2/repository/index}: every model under the base path and every model served.
	 */
	public Mono<ServerResponse> index(ServerRequest request) {
		return authenticated(request, () -> this.encoder.repositoryIndex(this.registry.repositoryIndex()));
	}

	/**
	 * {@code POST /v2/repository/models/{name}/load}: serves {@code <base-path>/<name>}, answering once it serves.
	 * The body is empty, {@code {}}, or the protocol's {@code {"parameters": {...}}} with one parameter understood:
	 * {@code "evictable": true}, which lets the registry unload the model when a load needs room in its memory
	 * budget. Any other parameter (Triton's {@code config} and file uploads among them) is a 400 rather than being
	 * ignored, as is a body that is not such an object or is larger than {@link #MAX_LOAD_BODY} bytes.
	 */
	public Mono<ServerResponse> load(ServerRequest request) {
		String name = request.pathVariable("name");
		Mono<LoadParameters> parameters = DataBufferUtils
			.join(request.body(BodyExtractors.toDataBuffers()), MAX_LOAD_BODY)
			.map(V2RepositoryHandler::bytes)
			.defaultIfEmpty(new byte[0])
			.map(LoadParameters::parse);
		return authenticated(request, parameters, (load) -> {
			this.registry.register(name, load.evictable());
			return EMPTY;
		});
	}

	private static byte[] bytes(DataBuffer buffer) {
		try {
			byte[] bytes = new byte[buffer.readableByteCount()];
			buffer.read(bytes);
			return bytes;
		}
		finally {
			DataBufferUtils.release(buffer);
		}
	}

	/**
	 * {@code POST /v2/repository/models/{name}/unload}: stops serving a model, answering once it is closed.
	 */
	public Mono<ServerResponse> unload(ServerRequest request) {
		String name = request.pathVariable("name");
		return authenticated(request, () -> {
			this.registry.unregister(name);
			return EMPTY;
		});
	}

	private Mono<ServerResponse> authenticated(ServerRequest request, java.util.concurrent.Callable<byte[]> work) {
		return authenticated(request, Mono.just(Boolean.TRUE), (ignored) -> work.call());
	}

	/**
	 * Reads the request's input (its body, for a load) only once the caller is authenticated, then runs the work
	 * on the bounded elastic scheduler.
	 * @param input what the work needs from the request; never empty
	 */
	private <T> Mono<ServerResponse> authenticated(ServerRequest request, Mono<T> input,
			ThrowingFunction<T, byte[]> work) {
		return request.principal()
			.flatMap((principal) -> input)
			.flatMap((value) -> Mono.fromCallable(() -> work.applyWithException(value))
				.subscribeOn(Schedulers.boundedElastic()))
			.flatMap((body) -> json(HttpStatus.OK, body))
			.switchIfEmpty(Mono.defer(() -> json(HttpStatus.UNAUTHORIZED, this.encoder
				.error("The model repository needs an authenticated caller: send the operator's credentials"))))
			.onErrorResume((failure) -> {
				V2Exception answer = (failure instanceof DataBufferLimitException)
						? new V2Exception(HttpStatus.PAYLOAD_TOO_LARGE.value(),
								"A load request's body is at most " + MAX_LOAD_BODY + " bytes")
						: V2Errors.of(failure);
				return json(HttpStatus.valueOf(answer.getStatus()), this.encoder.error(String.valueOf(answer.getMessage())));
			});
	}

	private static Mono<ServerResponse> json(HttpStatus status, byte[] body) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(EncodedBody.of(body));
	}

}
