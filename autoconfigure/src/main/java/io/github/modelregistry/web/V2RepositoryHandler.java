package io.github.modelregistry.web;

import java.nio.charset.StandardCharsets;

import io.github.modelregistry.registry.ModelRegistry;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
	 */
	public Mono<ServerResponse> load(ServerRequest request) {
		String name = request.pathVariable("name");
		return authenticated(request, () -> {
			this.registry.register(name);
			return EMPTY;
		});
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
		return request.principal()
			.flatMap((principal) -> Mono.fromCallable(work).subscribeOn(Schedulers.boundedElastic()))
			.flatMap((body) -> json(HttpStatus.OK, body))
			.switchIfEmpty(Mono.defer(() -> json(HttpStatus.UNAUTHORIZED, this.encoder
				.error("The model repository needs an authenticated caller: send the operator's credentials"))))
			.onErrorResume((failure) -> {
				V2Exception answer = V2Errors.of(failure);
				return json(answer.getStatus(), this.encoder.error(String.valueOf(answer.getMessage())));
			});
	}

	private static Mono<ServerResponse> json(HttpStatus status, byte[] body) {
		return ServerResponse.status(status).contentType(MediaType.APPLICATION_JSON).body(EncodedBody.of(body));
	}

}
