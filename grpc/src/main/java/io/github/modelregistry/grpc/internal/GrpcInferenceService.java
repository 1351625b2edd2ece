package io.github.modelregistry.grpc.internal;

import io.github.modelregistry.protocol.grpc.GrpcRequestDecoder;
import io.github.modelregistry.protocol.grpc.GrpcResponseEncoder;
import io.github.modelregistry.protocol.grpc.InferRequestLimits;
import io.github.modelregistry.protocol.grpc.GrpcErrors;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.protocol.grpc.v2.ModelMetadataRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelMetadataResponse;
import io.github.modelregistry.protocol.grpc.v2.ModelReadyRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelReadyResponse;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveResponse;
import io.github.modelregistry.protocol.grpc.v2.ServerMetadataRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerMetadataResponse;
import io.github.modelregistry.protocol.grpc.v2.ServerReadyRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerReadyResponse;
import io.github.modelregistry.registry.InferenceRequest;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.tensor.TensorSpec;
import io.grpc.Context;
import io.grpc.BindableService;
import io.grpc.Deadline;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * The Open Inference Protocol's {@code inference.GRPCInferenceService} (KServe V2 gRPC; Triton's service extends it
 * with the same messages): a face of the {@link ModelRegistry}, which it only reads and bounds requests for, and
 * translates answers and failures from (through {@link GrpcErrors}'s one table).
 * <p>
 * gRPC has read and parsed the whole message before a method runs (on the server's executor, not on a Netty event
 * loop), bounded by {@code spring.grpc.server.inbound.message.max-size}: a slow upload never holds a model's
 * permit. {@code ModelInfer} refuses an unknown model or version, and inputs that do not fit the served version,
 * before a buffer is taken; the registry then runs it on its inference pool, under the model's bulkhead, time
 * limiter and circuit breaker, and the answer is built on that pool's thread. A call whose deadline has passed is
 * refused at once; a call cancelled or past its deadline while it waits stops waiting (an inference not started is
 * skipped, one running finishes and its buffers go back to the pool; decoding stops too). A client that takes
 * longer than the message time-out to send its whole request, deadline or not, gets {@code DEADLINE_EXCEEDED}
 * ({@link MessageTimeout}, on every service of the server).
 */
public final class GrpcInferenceService implements GRPCInferenceServiceGrpc.AsyncService, BindableService {

	private final ModelRegistry registry;

	private final GrpcRequestDecoder decoder;

	private final GrpcResponseEncoder encoder = new GrpcResponseEncoder();

	private final ServerMetadataResponse serverMetadata;

	private final InferRequestLimits limits;

	/**
	 * @param registry the models
	 * @param maxElements the most tensor elements one request may hold
	 * @param maxTensors the most inputs, requested outputs or raw contents one request may hold
	 * @param pool where input tensors are decoded into; {@code null} for heap buffers
	 */
	public GrpcInferenceService(ModelRegistry registry, long maxElements, int maxTensors,
			@Nullable TensorBufferPool pool) {
		this.registry = registry;
		this.limits = new InferRequestLimits(maxTensors, maxElements);
		this.decoder = new GrpcRequestDecoder(maxElements, pool);
		String version = GrpcInferenceService.class.getPackage().getImplementationVersion();
		this.serverMetadata = ServerMetadataResponse.newBuilder()
			.setName("model-registry")
			.setVersion((version != null) ? version : "dev")
			.addExtensions("binary_tensor_data")
			.build();
	}

	/**
	 * The service's methods, whose requests are checked on the wire ({@code ModelInfer}'s by
	 * {@link InferRequestLimits}) and parsed without ever failing the call with {@code UNKNOWN}: a request that
	 * cannot be parsed or is refused is answered {@code INVALID_ARGUMENT}. The message time-out is a server-wide
	 * interceptor ({@link MessageTimeout}), so that it bounds every service the server hosts.
	 */
	@Override
	public ServerServiceDefinition bindService() {
		String infer = GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName();
		return RefusingParser.wrap(GRPCInferenceServiceGrpc.bindService(this),
				(method) -> method.equals(infer) ? this.limits::check : null);
	}

	@Override
	public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
		reply(answer, ServerLiveResponse.newBuilder().setLive(true).build());
	}

	@Override
	public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> answer) {
		reply(answer, ServerReadyResponse.newBuilder().setReady(this.registry.ready()).build());
	}

	@Override
	public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> answer) {
		reply(answer, this.serverMetadata);
	}

	/**
	 * Whether the model (or that version) can serve: {@code NOT_FOUND} for a model or version it does not have, as
	 * the REST face's 404.
	 */
	@Override
	public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> answer) {
		try {
			String model = name(request.getName());
			Long version = version(request.hasVersion() ? request.getVersion() : "");
			boolean ready = this.registry.ready(model, version);
			reply(answer, ModelReadyResponse.newBuilder().setReady(ready).build());
		}
		catch (RuntimeException ex) {
			answer.onError(GrpcErrors.of(ex));
		}
	}

	@Override
	public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> answer) {
		CompletableFuture<ModelMetadataResponse> metadata;
		try {
			String model = name(request.getName());
			Long version = version(request.hasVersion() ? request.getVersion() : "");
			// A lazy model not loaded yet loads on the registry's pool, not on this thread
			metadata = this.registry.metadataAsync(model, version).thenApply(this.encoder::metadata);
		}
		catch (RuntimeException ex) {
			metadata = CompletableFuture.failedFuture(ex);
		}
		answer(metadata, answer);
	}

	@Override
	public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
		// Set first, so that a call cancelled at any point is never answered (and its answer never throws)
		AtomicReference<@Nullable CompletableFuture<InferenceResult>> running = new AtomicReference<>();
		((ServerCallStreamObserver<ModelInferResponse>) answer).setOnCancelHandler(() -> {
			// A cancelled call, or one past its deadline, stops waiting: a queued inference is skipped
			CompletableFuture<InferenceResult> result = running.get();
			if (result != null) {
				result.cancel(false);
			}
		});
		CompletableFuture<ModelInferResponse> inference;
		try {
			Deadline deadline = Context.current().getDeadline();
			if (deadline != null && deadline.isExpired()) {
				throw Status.DEADLINE_EXCEEDED
					.withDescription("The call's deadline passed before the inference could start")
					.asRuntimeException();
			}
			String model = name(request.getModelName());
			Long version = version(request.hasModelVersion() ? request.getModelVersion() : "");
			// Before any buffer is taken, an unknown model or version is refused and the inputs checked against
			// the served version's; the inference checks again, as a reload may change them meanwhile
			List<TensorSpec> expected = this.registry.expectedInputs(model, version).orElse(null);
			Context context = Context.current();
			GrpcRequestDecoder.Decoded decoded = this.decoder.decode(request, expected, context::isCancelled);
			// From here the registry owns the pooled buffers and hands them back once the runtime has returned,
			// whatever happens to this call meanwhile
			CompletableFuture<InferenceResult> result = this.registry.inferAsync(model, version,
					new InferenceRequest(decoded.inputs(), decoded.outputs(), decoded::close));
			running.set(result);
			if (((ServerCallStreamObserver<ModelInferResponse>) answer).isCancelled()) {
				result.cancel(false);
			}
			inference = result.thenApply((done) -> this.encoder.inference(done, request.getId(), decoded.raw()));
		}
		catch (RuntimeException ex) {
			inference = CompletableFuture.failedFuture(ex);
		}
		answer(inference, answer);
	}

	private static <T> void answer(CompletableFuture<T> future, StreamObserver<T> answer) {
		future.whenComplete((value, failure) -> {
			if (answer instanceof ServerCallStreamObserver<T> call && call.isCancelled()) {
				return;
			}
			if (failure != null) {
				answer.onError(GrpcErrors.of(failure));
			}
			else {
				reply(answer, value);
			}
		});
	}

	private static <T> void reply(StreamObserver<T> answer, T value) {
		answer.onNext(value);
		answer.onCompleted();
	}

	private static String name(String name) {
		if (name.isEmpty()) {
			throw GrpcErrors.invalid("The request names no model");
		}
		return name;
	}

	/**
	 * Returns the version asked for, or {@code null} for an empty one (Triton's clients send "" for none).
	 */
	private static @Nullable Long version(String version) {
		if (version.isEmpty()) {
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
		throw GrpcErrors.invalid("Model version '" + version + "' is not a positive integer");
	}

}
