package io.github.modelregistry.measure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceStub;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.HttpHeaderNames;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * The tool's own closed-loop load driver, for what wrk cannot send (gRPC) and where wrk is not installed: REST over
 * Reactor Netty's {@code HttpClient} (HTTP/1.1 keep-alive, one pooled connection per request in flight) and gRPC over
 * grpc-java's async stubs (one HTTP/2 channel per {@value #IN_FLIGHT_PER_CHANNEL} in flight, round-robin).
 * {@code inFlight} requests are outstanding at all times: each completion issues the next at once, on the client's
 * event loop. Every success's latency is kept, so p50 and p99 are exact (nearest rank).
 *
 * <p>It runs in the tool's JVM, on the same cores as the application: about 90 µs of its own CPU per REST request on
 * 2 cores, which is why wrk is preferred for REST where installed. The application's CPU per request, read from
 * {@code /proc}, does not include it.
 */
final class Driver implements Load {

	/** gRPC multiplexes calls on one HTTP/2 connection; one channel per this many in flight */
	static final int IN_FLIGHT_PER_CHANNEL = 32;

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	@Override
	public String name() {
		return "the tool's driver (Reactor Netty, grpc-java)";
	}

	@Override
	public boolean supports(Endpoint endpoint) {
		return true;
	}

	@Override
	public LoadResult run(Address address, Endpoint endpoint, int inFlight, Duration lead, Duration recorded,
			Window window) {
		Target target = endpoint.kind().grpc() ? new GrpcTarget(address, endpoint, inFlight)
				: new RestTarget(address, endpoint, inFlight);
		try {
			target.validate();
			Recorder recorder = new Recorder((int) Math.max(1 << 16, recorded.toSeconds() * 50_000));
			CountDownLatch drained = new CountDownLatch(inFlight);
			for (int i = 0; i < inFlight; i++) {
				new Loop(target, recorder, drained).next();
			}
			Thread.sleep(lead.toMillis());
			window.opened();
			recorder.startRecording();
			Thread.sleep(recorded.toMillis());
			recorder.stopRecording();
			window.closed();
			if (!drained.await(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
				throw new IllegalStateException(drained.getCount() + " requests had not completed after the run");
			}
			return recorder.result();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted", ex);
		}
		finally {
			target.close();
		}
	}

	/** One of the in-flight requests: each completion issues the next, until the recorder stops */
	private static final class Loop {

		private final Target target;

		private final Recorder recorder;

		private final CountDownLatch drained;

		Loop(Target target, Recorder recorder, CountDownLatch drained) {
			this.target = target;
			this.recorder = recorder;
			this.drained = drained;
		}

		void next() {
			if (this.recorder.stopped()) {
				this.drained.countDown();
				return;
			}
			long start = System.nanoTime();
			try {
				this.target.call((failure) -> {
					this.recorder.record(failure, (System.nanoTime() - start) / 1000);
					next();
				});
			}
			catch (RuntimeException ex) {
				this.recorder.record(ex.toString(), 0);
				next();
			}
		}

	}

	/** Called once per request: null on success, else what went wrong */
	@FunctionalInterface
	interface Completion {

		void done(String failure);

	}

	private interface Target extends AutoCloseable {

		/** Issues one request; calls {@code completion} exactly once when it ends */
		void call(Completion completion);

		/** One request whose answer is checked in full; throws if it is not what the endpoint promises */
		void validate();

		@Override
		void close();

	}

	private static final class RestTarget implements Target {

		private final ConnectionProvider provider;

		private final HttpClient client;

		private final Endpoint endpoint;

		RestTarget(Address address, Endpoint endpoint, int inFlight) {
			this.provider = ConnectionProvider.builder("measure")
				.maxConnections(Math.max(inFlight, 1))
				.pendingAcquireMaxCount(-1)
				.pendingAcquireTimeout(Duration.ofSeconds(30))
				.build();
			boolean post = endpoint.kind() == Endpoint.Kind.POST;
			this.client = HttpClient.create(this.provider)
				.host(address.host())
				.port(address.httpPort())
				.keepAlive(true)
				.responseTimeout(TIMEOUT)
				.headers((h) -> {
					if (post) {
						h.set(HttpHeaderNames.CONTENT_TYPE, endpoint.contentType());
						h.set(HttpHeaderNames.CONTENT_LENGTH, endpoint.body().length);
					}
					h.set(HttpHeaderNames.ACCEPT, endpoint.contentType());
					endpoint.headers().forEach(h::set);
				});
			this.endpoint = endpoint;
		}

		private HttpClient.ResponseReceiver<?> request() {
			return (this.endpoint.kind() == Endpoint.Kind.POST) ? this.client.post()
				.uri(this.endpoint.path())
				.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.endpoint.body())))
					: this.client.get().uri(this.endpoint.path());
		}

		@Override
		public void call(Completion completion) {
			// The body is drained (and its buffers released) without copying it: only the status counts here
			request().response((response, content) -> content.then(Mono.just(response.status().code())))
				.single()
				.subscribe((status) -> completion.done((status == 200) ? null : "HTTP " + status),
						(ex) -> completion.done(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
		}

		@Override
		public void validate() {
			Reply reply = request()
				.responseSingle((response, content) -> content.asByteArray()
					.defaultIfEmpty(new byte[0])
					.map((bytes) -> new Reply(response.status().code(), bytes)))
				.block(TIMEOUT);
			require(reply != null, "no answer");
			String text = new String(reply.body(), StandardCharsets.ISO_8859_1);
			require(reply.status() == 200, "status " + reply.status() + ": " + text);
			require(text.contains(this.endpoint.expect()), "no " + this.endpoint.expect() + " in " + text);
		}

		@Override
		public void close() {
			this.provider.disposeLater().block(TIMEOUT);
		}

		private record Reply(int status, byte[] body) {
		}

	}

	private static final class GrpcTarget implements Target {

		private final List<ManagedChannel> channels = new ArrayList<>();

		private final GRPCInferenceServiceStub[] stubs;

		private final AtomicInteger next = new AtomicInteger();

		private final boolean infer;

		private final ModelInferRequest request;

		GrpcTarget(Address address, Endpoint endpoint, int inFlight) {
			require(address.grpcPort() > 0, "the application has no gRPC port");
			int count = Math.max(1, (inFlight + IN_FLIGHT_PER_CHANNEL - 1) / IN_FLIGHT_PER_CHANNEL);
			this.stubs = new GRPCInferenceServiceStub[count];
			for (int i = 0; i < count; i++) {
				ManagedChannel channel = NettyChannelBuilder.forAddress(address.host(), address.grpcPort())
					.usePlaintext()
					.directExecutor()
					.maxInboundMessageSize(16 * 1024 * 1024)
					.build();
				this.channels.add(channel);
				this.stubs[i] = GRPCInferenceServiceGrpc.newStub(channel);
			}
			this.infer = endpoint.kind() == Endpoint.Kind.GRPC_INFER;
			this.request = ModelInferRequest.newBuilder()
				.setModelName(Endpoint.MODEL)
				.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
					.setName("features")
					.setDatatype("FP32")
					.addShape(Endpoint.ROWS)
					.addShape(Endpoint.COLUMNS))
				.addRawInputContents(ByteString.copyFrom(Endpoint.littleEndian()))
				.build();
		}

		private GRPCInferenceServiceStub stub() {
			int i = Math.floorMod(this.next.getAndIncrement(), this.stubs.length);
			return this.stubs[i].withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}

		@Override
		public void call(Completion completion) {
			if (this.infer) {
				stub().modelInfer(this.request, new Observer<>(completion));
			}
			else {
				stub().serverLive(ServerLiveRequest.getDefaultInstance(), new Observer<>(completion));
			}
		}

		@Override
		public void validate() {
			// Every channel once, so that all connect before the load
			for (GRPCInferenceServiceStub stub : this.stubs) {
				GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub blocking = GRPCInferenceServiceGrpc
					.newBlockingStub(stub.getChannel())
					.withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (this.infer) {
					ModelInferResponse response = blocking.modelInfer(this.request);
					require(response.getRawOutputContentsCount() == 1,
							"expected one raw_output_contents, got " + response.getRawOutputContentsCount());
					require(response.getRawOutputContents(0).size() == Endpoint.ROWS * 4, "expected "
							+ (Endpoint.ROWS * 4) + " bytes of raw output, got " + response.getRawOutputContents(0).size());
				}
				else {
					ServerLiveResponse response = blocking.serverLive(ServerLiveRequest.getDefaultInstance());
					require(response.getLive(), "ServerLive answered live = false");
				}
			}
		}

		@Override
		public void close() {
			for (ManagedChannel channel : this.channels) {
				channel.shutdownNow();
			}
		}

		private static final class Observer<T> implements StreamObserver<T> {

			private final Completion completion;

			Observer(Completion completion) {
				this.completion = completion;
			}

			@Override
			public void onNext(T value) {
			}

			@Override
			public void onError(Throwable ex) {
				Status status = Status.fromThrowable(ex);
				this.completion.done("gRPC " + status.getCode()
						+ ((status.getDescription() != null) ? ": " + status.getDescription() : ""));
			}

			@Override
			public void onCompleted() {
				this.completion.done(null);
			}

		}

	}

	/** Counts and latencies of the recorded window; completions before and after it are not counted */
	static final class Recorder {

		private long[] latencies;

		private int requests;

		private long errors;

		private final Map<String, Long> failures = new LinkedHashMap<>();

		private boolean recording;

		private volatile boolean stopped;

		private long startNanos;

		private long endNanos;

		Recorder(int capacity) {
			this.latencies = new long[capacity];
		}

		synchronized void record(String failure, long micros) {
			if (!this.recording) {
				return;
			}
			if (failure == null) {
				if (this.requests == this.latencies.length) {
					this.latencies = Arrays.copyOf(this.latencies, this.latencies.length * 2);
				}
				this.latencies[this.requests++] = micros;
			}
			else {
				this.errors++;
				if (this.failures.size() < 20 || this.failures.containsKey(failure)) {
					this.failures.merge(failure, 1L, Long::sum);
				}
			}
		}

		synchronized void startRecording() {
			this.recording = true;
			this.startNanos = System.nanoTime();
		}

		synchronized void stopRecording() {
			this.recording = false;
			this.endNanos = System.nanoTime();
			this.stopped = true;
		}

		boolean stopped() {
			return this.stopped;
		}

		synchronized LoadResult result() {
			long[] sorted = Arrays.copyOf(this.latencies, this.requests);
			Arrays.sort(sorted);
			double seconds = (this.endNanos - this.startNanos) / 1e9;
			return new LoadResult(this.requests, this.errors, seconds, percentile(sorted, 0.50) / 1000.0,
					percentile(sorted, 0.99) / 1000.0, new LinkedHashMap<>(this.failures));
		}

		/** Nearest rank: the smallest sample with at least the fraction of the samples at or below it */
		static long percentile(long[] sorted, double fraction) {
			if (sorted.length == 0) {
				return 0;
			}
			int rank = (int) Math.ceil(fraction * sorted.length);
			return sorted[Math.max(0, rank - 1)];
		}

	}

	static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

}
