package io.github.modelregistry.protocol.grpc;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import io.github.modelregistry.registry.InferenceTimeoutException;
import io.github.modelregistry.registry.InvalidInferenceRequestException;
import io.github.modelregistry.registry.ModelFailedException;
import io.github.modelregistry.registry.InvalidRegistrationException;
import io.github.modelregistry.registry.ModelAlreadyRegisteredException;
import io.github.modelregistry.registry.ModelLoadFailedException;
import io.github.modelregistry.registry.ModelMemoryExceededException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.modelregistry.registry.ModelOverloadedException;
import io.github.modelregistry.registry.ModelRegistryException;
import io.github.modelregistry.registry.ModelUnavailableException;
import io.github.modelregistry.registry.ModelVersionNotServedException;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gRPC face's one table from the registry's exception family to status codes, the codes TensorFlow Serving and
 * Triton answer with: invalid argument, not found, resource exhausted, unavailable, deadline exceeded, internal.
 * A refusal that says when to come back carries it as {@code grpc-retry-pushback-ms}, the trailer gRPC's retry
 * policy reads. Anything outside the family is an {@code INTERNAL} whose description names only the exception's
 * type and message, never a stack trace; it is logged once, as are the model's own failures.
 */
public final class GrpcErrors {

	/** The longest description a status carries. */
	public static final int MAX_DESCRIPTION = 1024;

	private static final Logger logger = LoggerFactory.getLogger(GrpcErrors.class);

	/** gRPC's server pushback: how long a client's retry policy waits before it tries again. */
	public static final Metadata.Key<String> RETRY_PUSHBACK = Metadata.Key.of("grpc-retry-pushback-ms",
			Metadata.ASCII_STRING_MARSHALLER);

	/** Most specific first: the first entry the failure is an instance of wins. */
	private static final Map<Class<? extends ModelRegistryException>, Status.Code> CODES = new LinkedHashMap<>();

	static {
		CODES.put(InvalidInferenceRequestException.class, Status.Code.INVALID_ARGUMENT);
		CODES.put(ModelVersionNotServedException.class, Status.Code.NOT_FOUND);
		CODES.put(ModelNotFoundException.class, Status.Code.NOT_FOUND);
		CODES.put(ModelOverloadedException.class, Status.Code.RESOURCE_EXHAUSTED);
		CODES.put(ModelUnavailableException.class, Status.Code.UNAVAILABLE);
		CODES.put(InferenceTimeoutException.class, Status.Code.DEADLINE_EXCEEDED);
		CODES.put(ModelFailedException.class, Status.Code.INTERNAL);
		CODES.put(ModelLoadFailedException.class, Status.Code.FAILED_PRECONDITION);
		CODES.put(InvalidRegistrationException.class, Status.Code.INVALID_ARGUMENT);
		CODES.put(ModelMemoryExceededException.class, Status.Code.RESOURCE_EXHAUSTED);
		CODES.put(ModelAlreadyRegisteredException.class, Status.Code.ALREADY_EXISTS);
	}

	private GrpcErrors() {
	}

	/**
	 * Returns the status a failure is answered with: the face's own, the registry's through the table, or
	 * {@code INTERNAL}.
	 */
	public static StatusRuntimeException of(Throwable failure) {
		Throwable cause = unwrap(failure);
		if (cause instanceof StatusRuntimeException status) {
			String description = status.getStatus().getDescription();
			return (description == null || description.length() <= MAX_DESCRIPTION) ? status
					: status.getStatus().withDescription(cut(description)).asRuntimeException(status.getTrailers());
		}
		if (cause instanceof CancellationException) {
			return Status.CANCELLED.withDescription("The call was cancelled").asRuntimeException();
		}
		if (cause instanceof ModelRegistryException registry) {
			Status.Code code = codeOf(registry);
			if (code == Status.Code.INTERNAL) {
				logger.warn("Inference failed: {}", registry.getMessage());
			}
			Status status = code.toStatus().withDescription(cut(String.valueOf(registry.getMessage())));
			Duration retryAfter = registry.getRetryAfter();
			if (retryAfter == null) {
				return status.asRuntimeException();
			}
			Metadata trailers = new Metadata();
			trailers.put(RETRY_PUSHBACK, Long.toString(Math.max(1, retryAfter.toMillis())));
			return status.asRuntimeException(trailers);
		}
		logger.error("Inference request failed", cause);
		return Status.INTERNAL
			.withDescription("Inference failed: " + cause.getClass().getSimpleName()
					+ ((cause.getMessage() != null) ? ": " + cause.getMessage() : ""))
			.asRuntimeException();
	}

	/**
	 * A client's mistake, named: {@code INVALID_ARGUMENT}.
	 */
	public static StatusRuntimeException invalid(String description) {
		return Status.INVALID_ARGUMENT.withDescription(cut(description)).asRuntimeException();
	}

	/**
	 * Cuts a description to {@value #MAX_DESCRIPTION} characters. It travels in the {@code grpc-message} trailer,
	 * percent-encoded (up to three bytes a character), and a client refuses trailers over its metadata limit (8 KB
	 * in grpc-java): a model name of 20,000 characters echoed whole would turn a {@code NOT_FOUND} into a transport
	 * error on the client.
	 */
	public static String cut(String description) {
		return (description.length() <= MAX_DESCRIPTION) ? description
				: description.substring(0, MAX_DESCRIPTION - 30) + "... (" + description.length() + " characters)";
	}

	public static Status.Code codeOf(ModelRegistryException failure) {
		for (Map.Entry<Class<? extends ModelRegistryException>, Status.Code> entry : CODES.entrySet()) {
			if (entry.getKey().isInstance(failure)) {
				return entry.getValue();
			}
		}
		return Status.Code.INTERNAL;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable current = failure;
		while ((current instanceof CompletionException || current instanceof ExecutionException)
				&& current.getCause() != null) {
			current = current.getCause();
		}
		return current;
	}

}
