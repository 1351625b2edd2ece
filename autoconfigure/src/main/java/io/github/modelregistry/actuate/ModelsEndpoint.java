package io.github.modelregistry.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.registry.InvalidRegistrationException;
import io.github.modelregistry.registry.ModelAlreadyRegisteredException;
import io.github.modelregistry.registry.ModelLoadFailedException;
import io.github.modelregistry.registry.ModelMemoryExceededException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryException;
import io.github.modelregistry.registry.ModelState;
import io.github.modelregistry.registry.ModelStatus;
import io.github.modelregistry.registry.ModelUnavailableException;
import io.github.modelregistry.registry.ReloadResult;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;

/**
 * The {@code models} endpoint: what every model is doing, and reloading, registering and unregistering models at run
 * time.
 * <p>
 * Reload, register and unregister are write operations on a production server, so they are guarded twice: the
 * endpoint's default access is read-only (an application opts in with
 * {@code management.endpoint.models.access=unrestricted}), and even then a write needs an authenticated caller, a
 * principal the application's security put on the request, or it is answered 401 and changes nothing. Without Spring
 * Security (or another authentication) no write can happen: an opened endpoint is never an open one. Actuator
 * exposes only {@code health} over HTTP by default.
 */
@Endpoint(id = "models", defaultAccess = Access.READ_ONLY)
public final class ModelsEndpoint {

	/** What a write without an authenticated caller is answered, with 401. */
	static final String UNAUTHENTICATED = "Model writes need an authenticated caller: send the operator's "
			+ "credentials (with Spring Security, HTTP Basic by default); see docs/security.md";

	private final ModelRegistry registry;

	private final boolean authenticatedWrites;

	/**
	 * An endpoint whose writes need an authenticated caller.
	 * @param registry the models
	 */
	public ModelsEndpoint(ModelRegistry registry) {
		this(registry, true);
	}

	/**
	 * @param registry the models
	 * @param authenticatedWrites whether writes need an authenticated caller
	 */
	public ModelsEndpoint(ModelRegistry registry, boolean authenticatedWrites) {
		this.registry = registry;
		this.authenticatedWrites = authenticatedWrites;
	}

	/**
	 * Whether a write may go on: its caller is authenticated, or writes do not need it.
	 */
	private boolean permitted(SecurityContext caller) {
		return !this.authenticatedWrites || caller.getPrincipal() != null;
	}

	/**
	 * {@code GET /actuator/models}: every model.
	 * @return the models, in configuration order
	 */
	@ReadOperation
	public ModelsDescriptor models() {
		return new ModelsDescriptor(this.registry.statuses().stream().map(this::describe).toList());
	}

	/**
	 * {@code GET /actuator/models/{name}}: one model.
	 * @param name the model name
	 * @return the model, or {@code null} (404) if there is no such model
	 */
	@ReadOperation
	public @Nullable ModelDescriptor model(@Selector String name) {
		return this.registry.contains(name) ? describe(this.registry.status(name)) : null;
	}

	private ModelDescriptor describe(ModelStatus status) {
		return ModelDescriptor.of(status, this.registry.batching(status.name()).orElse(null));
	}

	/**
	 * {@code POST /actuator/models/{name}}: reloads the model to its configured version (the highest found if
	 * none is configured), or to {@code {"version": N}}. Answers 200 when the new version serves, 404 for an unknown
	 * model or version, 409 when the strategy never replaces its model ({@code static}), and 500 when loading
	 * failed; in every failure the previous version keeps serving.
	 * @param caller who asks: answered 401 unless authenticated (or writes do not need it)
	 * @param name the model name
	 * @param version the version to load, or {@code null}
	 * @return what the reload did
	 */
	@WriteOperation
	public WebEndpointResponse<ReloadDescriptor> reload(SecurityContext caller, @Selector String name,
			@Nullable Long version) {
		if (!permitted(caller)) {
			return new WebEndpointResponse<>(new ReloadDescriptor(name, "UNAUTHENTICATED", null, null, version, 0,
					UNAUTHENTICATED), 401);
		}
		if (!this.registry.contains(name)) {
			return new WebEndpointResponse<>(new ReloadDescriptor(name, "NOT_FOUND", null, null, version, 0,
					ModelNotFoundException.unknown(name, this.registry.names()).getMessage()),
					WebEndpointResponse.STATUS_NOT_FOUND);
		}
		if (version != null && version < 1) {
			return new WebEndpointResponse<>(new ReloadDescriptor(name, "INVALID", null, null, version, 0,
					"A model version must be a positive integer"), WebEndpointResponse.STATUS_BAD_REQUEST);
		}
		ReloadResult result = (version != null) ? this.registry.reload(name, version) : this.registry.reload(name);
		int status = switch (result.outcome()) {
			case RELOADED -> WebEndpointResponse.STATUS_OK;
			case NOT_FOUND -> WebEndpointResponse.STATUS_NOT_FOUND;
			case REFUSED -> 409;
			case FAILED -> WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
		};
		return new WebEndpointResponse<>(ReloadDescriptor.of(result), status);
	}

	/**
	 * {@code POST /actuator/models} with {@code {"name": "..."}}: serves a model found under the base path,
	 * {@code <model-registry.base-path>/<name>}, loaded and warmed up before this answers, held by the default
	 * strategy. With {@code "evictable": true} the registry may unload it when another load needs room in the
	 * native-memory budget, least recently used first, and its next request loads it again. Answers 201 with the
	 * model once it serves; 400 for a name that is not a folder name inside the base path (or an evictable model
	 * under a strategy that never unloads); 409 for a name already served or being registered; 422 when its folder
	 * has nothing that loads; 507 when it would not fit the native-memory budget ({@code model-registry.memory.max})
	 * even once every evictable model that can be is unloaded; 503 when the registry is not running. Nothing changes
	 * on a failure.
	 * @param caller who asks: answered 401 unless authenticated (or writes do not need it)
	 * @param name the model's name, which is also its folder's
	 * @param evictable whether it may be unloaded to make room; {@code false} when not given
	 * @return what the registration did
	 */
	@WriteOperation
	public WebEndpointResponse<RegistrationDescriptor> register(SecurityContext caller, String name,
			@Nullable Boolean evictable) {
		if (!permitted(caller)) {
			return unauthenticated(name);
		}
		try {
			ModelStatus status = this.registry.register(name, Boolean.TRUE.equals(evictable));
			return new WebEndpointResponse<>(new RegistrationDescriptor(name, "REGISTERED", describe(status), null),
					201);
		}
		catch (ModelRegistryException ex) {
			return refused(name, ex);
		}
	}

	/**
	 * {@code DELETE /actuator/models/{name}}: stops serving a model. Answers once the requests inside it have left
	 * and every version is closed: 200, or 404 if no model has that name. Requests for it get 404 from the moment
	 * this is called.
	 * @param caller who asks: answered 401 unless authenticated (or writes do not need it)
	 * @param name the model name
	 * @return what the unregistration did
	 */
	@DeleteOperation
	public WebEndpointResponse<RegistrationDescriptor> unregister(SecurityContext caller, @Selector String name) {
		if (!permitted(caller)) {
			return unauthenticated(name);
		}
		try {
			this.registry.unregister(name);
			return new WebEndpointResponse<>(new RegistrationDescriptor(name, "UNREGISTERED", null, null),
					WebEndpointResponse.STATUS_OK);
		}
		catch (ModelRegistryException ex) {
			return refused(name, ex);
		}
	}

	private static WebEndpointResponse<RegistrationDescriptor> unauthenticated(String name) {
		return new WebEndpointResponse<>(new RegistrationDescriptor(name, "UNAUTHENTICATED", null, UNAUTHENTICATED),
				401);
	}

	private static WebEndpointResponse<RegistrationDescriptor> refused(String name, ModelRegistryException ex) {
		Refusal refusal = Refusal.of(ex);
		return new WebEndpointResponse<>(new RegistrationDescriptor(name, refusal.name(), null, ex.getMessage()),
				refusal.status);
	}

	/**
	 * Why a registration or unregistration changed nothing, and its status code.
	 */
	enum Refusal {

		INVALID(WebEndpointResponse.STATUS_BAD_REQUEST), CONFLICT(409), NOT_FOUND(WebEndpointResponse.STATUS_NOT_FOUND),
		NOT_LOADABLE(422), OUT_OF_MEMORY(507), UNAVAILABLE(WebEndpointResponse.STATUS_SERVICE_UNAVAILABLE),
		FAILED(WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);

		private final int status;

		Refusal(int status) {
			this.status = status;
		}

		static Refusal of(ModelRegistryException ex) {
			if (ex instanceof InvalidRegistrationException) {
				return INVALID;
			}
			if (ex instanceof ModelAlreadyRegisteredException) {
				return CONFLICT;
			}
			if (ex instanceof ModelNotFoundException) {
				return NOT_FOUND;
			}
			if (ex instanceof ModelLoadFailedException) {
				return NOT_LOADABLE;
			}
			if (ex instanceof ModelMemoryExceededException) {
				return OUT_OF_MEMORY;
			}
			if (ex instanceof ModelUnavailableException) {
				return UNAVAILABLE;
			}
			return FAILED;
		}

	}

	/**
	 * What a registration or unregistration did: the model once registered, or why nothing changed.
	 */
	public record RegistrationDescriptor(String model, String outcome, @Nullable ModelDescriptor status,
			@Nullable String message) {
	}

	/**
	 * Every model.
	 */
	public record ModelsDescriptor(List<ModelDescriptor> models) {
	}

	/**
	 * One model, as the endpoint shows it.
	 */
	public record ModelDescriptor(String name, String strategy, String load, boolean evictable, ModelState state,
			@Nullable Long version, List<Long> servedVersions, List<Long> availableVersions, String policy,
			@Nullable String source, @Nullable Instant loadedAt, @Nullable Long loadMillis, @Nullable Long sizeBytes,
			long memoryBytes, Map<Long, Long> memoryBytesByVersion, long inFlightReads, Counters counters, @Nullable Warmup lastWarmup, @Nullable String lastError,
			@Nullable Instant lastErrorAt, @Nullable BatchingDescriptor batching) {

		static ModelDescriptor of(ModelStatus status, io.github.modelregistry.registry.@Nullable Batching batching) {
			ModelStatus.Counters holder = status.counters();
			Duration loadDuration = status.loadDuration();
			io.github.modelregistry.registry.Warmup warmup = status.lastWarmup();
			return new ModelDescriptor(status.name(), status.strategy(),
					status.load().name().toLowerCase(java.util.Locale.ROOT), status.evictable(), status.state(),
					status.version(),
					status.servedVersions(), status.availableVersions(), status.policy(), status.source(),
					status.loadedAt(), (loadDuration != null) ? loadDuration.toMillis() : null, status.sizeBytes(),
					status.memoryBytes(), status.memoryBytesByVersion(), holder.inFlightReads(),
					new Counters(holder.generation(), holder.loads(), holder.loadFailures(), holder.publishes(),
							holder.retired(), holder.retiring()),
					(warmup != null) ? new Warmup(warmup.version(), warmup.requests(),
							warmup.fromFiles() ? "warmup files" : "generated", warmup.took().toMillis()) : null,
					status.lastError(), status.lastErrorAt(), (batching != null) ? BatchingDescriptor.of(batching) : null);
		}

	}

	/**
	 * How a model's concurrent requests are batched; absent when they are not.
	 */
	public record BatchingDescriptor(int maxBatchSize, long maxQueueDelayMicros, List<Integer> preferredBatchSizes,
			int maxQueueSize, @Nullable Long queueTimeoutMillis) {

		static BatchingDescriptor of(io.github.modelregistry.registry.Batching batching) {
			Duration timeout = batching.queueTimeout();
			return new BatchingDescriptor(batching.maxBatchSize(), batching.maxQueueDelay().toNanos() / 1000,
					batching.preferredBatchSizes(), batching.maxQueueSize(),
					(timeout != null) ? timeout.toMillis() : null);
		}

	}

	/**
	 * The warm-up of the most recently loaded version.
	 */
	public record Warmup(long version, int requests, String from, long tookMillis) {
	}

	/**
	 * What a model's holder has done.
	 */
	public record Counters(long generation, long loads, long loadFailures, long publishes, long retired,
			int retiring) {
	}

	/**
	 * What a reload did.
	 */
	public record ReloadDescriptor(String model, String outcome, @Nullable Long previousVersion,
			@Nullable Long version, @Nullable Long requestedVersion, long tookMillis, String message) {

		static ReloadDescriptor of(ReloadResult result) {
			return new ReloadDescriptor(result.model(), result.outcome().name(), result.previousVersion(),
					result.version(), result.requestedVersion(), result.took().toMillis(), result.message());
		}

	}

}
