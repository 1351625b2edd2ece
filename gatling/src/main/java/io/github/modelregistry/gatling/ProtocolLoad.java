package io.github.modelregistry.gatling;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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
 * A closed-loop load driver for the sample app's model {@code restaurant-ranker} (input {@code features} FP32
 * [10, 40], output {@code score} [10, 1]) over three protocols: V2 JSON REST, REST with the binary tensor data
 * extension, and gRPC with raw contents; and the two trivial ceilings, REST {@code GET /v2/health/live} and gRPC
 * {@code ServerLive}. {@code --in-flight} requests are outstanding at all times: each completion issues the next at
 * once. The first {@code --warmup} seconds are not recorded; then {@code --seconds} are: successes, errors (a
 * non-200 status, a non-OK gRPC status, any exception) and the latency of every success in microseconds, whose p50
 * and p99 are exact (nearest rank over the sorted samples).
 *
 * <p>Prints one TSV row, {@code protocol inFlight seconds requests errors rps p50_ms p99_ms}, and appends it to
 * {@code --out}. On standard error: the failures by cause and {@code total_completions=<n>}, every completion
 * including the warm-up's and the drain's, for a CPU-per-request figure measured around the whole run. Exit code 1
 * if errors exceed 0.5% of the successful requests (or nothing succeeded), 2 if the arguments are wrong or the
 * first response of the protocol is not what it should be.
 *
 * <p>Usage: {@code ProtocolLoad --protocol json|binary|grpc|live-rest|live-grpc [--in-flight 32] [--seconds 10]
 * [--warmup 5] [--host localhost] [--http-port 18080] [--grpc-port 19090] [--out FILE]}
 */
public final class ProtocolLoad {

	static final String MODEL = "restaurant-ranker";

	static final int ROWS = 10;

	static final int COLUMNS = 40;

	static final String INFER_PATH = "/v2/models/" + MODEL + "/infer";

	static final String LIVE_PATH = "/v2/health/live";

	/** The binary extension's JSON header: the input's bytes follow it, and the output comes back as bytes too */
	static final String BINARY_HEADER = "{\"inputs\":[{\"name\":\"features\",\"shape\":[" + ROWS + "," + COLUMNS
			+ "],\"datatype\":\"FP32\",\"parameters\":{\"binary_data_size\":" + (ROWS * COLUMNS * 4)
			+ "}}],\"parameters\":{\"binary_data_output\":true}}";

	static final String HEADER_LENGTH = "Inference-Header-Content-Length";

	/** gRPC multiplexes calls on one HTTP/2 connection; one channel (connection) per this many in flight */
	static final int IN_FLIGHT_PER_CHANNEL = 32;

	static final Duration TIMEOUT = Duration.ofSeconds(10);

	private ProtocolLoad() {
	}

	public static void main(String[] args) throws Exception {
		// No SLF4J provider on the class path (Reactor Netty logs through it): no warning about that either
		if (System.getProperty("slf4j.internal.verbosity") == null) {
			System.setProperty("slf4j.internal.verbosity", "ERROR");
		}
		if (args.length == 2 && args[0].equals("--write-bodies")) {
			writeBodies(Path.of(args[1]));
			return;
		}
		Options options;
		try {
			options = Options.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println("ProtocolLoad: " + ex.getMessage());
			System.err.println("usage: ProtocolLoad --protocol json|binary|grpc|live-rest|live-grpc [--in-flight 32]"
					+ " [--seconds 10] [--warmup 5] [--host localhost] [--http-port 18080] [--grpc-port 19090]"
					+ " [--out FILE]");
			System.exit(2);
			return;
		}
		Target target = Target.of(options);
		try {
			target.validate();
		}
		catch (Exception ex) {
			System.err.println("ProtocolLoad: " + options.protocol + ": the first response is not right: " + ex);
			System.exit(2);
			return;
		}
		Result result = run(target, options);
		String row = String.join("\t", options.protocol, Integer.toString(options.inFlight),
				Integer.toString(options.seconds), Long.toString(result.requests), Long.toString(result.errors),
				String.format(Locale.ROOT, "%.1f", result.rps), String.format(Locale.ROOT, "%.3f", result.p50Ms),
				String.format(Locale.ROOT, "%.3f", result.p99Ms));
		System.out.println(row);
		if (options.out != null) {
			Path parent = options.out.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			Files.writeString(options.out, row + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		result.failures.forEach((cause, count) -> System.err.println("ProtocolLoad: " + count + " x " + cause));
		System.err.println("total_completions=" + result.totalCompletions);
		boolean tooManyErrors = result.requests == 0 || result.errors > 0.005 * result.requests;
		if (tooManyErrors) {
			System.err.println("ProtocolLoad: " + result.errors + " errors for " + result.requests
					+ " successful requests: more than 0.5%");
		}
		System.exit(tooManyErrors ? 1 : 0);
	}

	static Result run(Target target, Options options) throws InterruptedException {
		Recorder recorder = new Recorder(Math.max(1 << 16, options.seconds * 50_000));
		CountDownLatch drained = new CountDownLatch(options.inFlight);
		for (int i = 0; i < options.inFlight; i++) {
			new Loop(target, recorder, drained).next();
		}
		Thread.sleep(TimeUnit.SECONDS.toMillis(options.warmup));
		recorder.startRecording();
		Thread.sleep(TimeUnit.SECONDS.toMillis(options.seconds));
		recorder.stopRecording();
		if (!drained.await(TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS)) {
			System.err.println("ProtocolLoad: " + drained.getCount() + " requests had not completed after the run");
		}
		return recorder.result();
	}

	/** One of the in-flight requests: each completion issues the next, until the recorder stops */
	static final class Loop {

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

	interface Target {

		/** Issues one request; calls {@code completion} exactly once when it ends */
		void call(Completion completion);

		/** One request whose answer is checked in full; throws if it is not what the protocol promises */
		void validate() throws Exception;

		static Target of(Options options) {
			return switch (options.protocol) {
				case "json" -> RestTarget.json(options);
				case "binary" -> RestTarget.binary(options);
				case "live-rest" -> RestTarget.live(options);
				case "grpc" -> GrpcTarget.infer(options);
				case "live-grpc" -> GrpcTarget.live(options);
				default -> throw new IllegalStateException(options.protocol);
			};
		}

	}

	/** Reactor Netty's HttpClient, HTTP/1.1 keep-alive, one pooled connection per request in flight */
	static final class RestTarget implements Target {

		private final HttpClient client;

		private final boolean post;

		private final String path;

		private final byte[] body;

		private final Validator validator;

		private RestTarget(Options options, boolean post, String path, String contentType, byte[] body,
				Map<String, String> headers, Validator validator) {
			ConnectionProvider provider = ConnectionProvider.builder("protocol-load")
				.maxConnections(Math.max(options.inFlight, 1))
				.pendingAcquireMaxCount(-1)
				.pendingAcquireTimeout(Duration.ofSeconds(30))
				.build();
			this.client = HttpClient.create(provider)
				.host(options.host)
				.port(options.httpPort)
				.keepAlive(true)
				.responseTimeout(TIMEOUT)
				.headers((h) -> {
					if (post) {
						h.set(HttpHeaderNames.CONTENT_TYPE, contentType);
						h.set(HttpHeaderNames.CONTENT_LENGTH, body.length);
					}
					h.set(HttpHeaderNames.ACCEPT, contentType);
					headers.forEach(h::set);
				});
			this.post = post;
			this.path = path;
			this.body = body;
			this.validator = validator;
		}

		static RestTarget json(Options options) {
			byte[] body = Payload.json().getBytes(StandardCharsets.UTF_8);
			return new RestTarget(options, true, INFER_PATH, "application/json", body, Map.of(), (reply) -> {
				String text = new String(reply.body, StandardCharsets.UTF_8);
				require(reply.status == 200, "status " + reply.status + ": " + text);
				require(text.contains("\"score\""), "no \"score\" in " + text);
			});
		}

		/** The binary extension's body: the JSON header, then the input's little-endian FP32 bytes */
		static byte[] binaryBody() {
			byte[] header = BINARY_HEADER.getBytes(StandardCharsets.UTF_8);
			byte[] tensor = Payload.littleEndian();
			byte[] body = Arrays.copyOf(header, header.length + tensor.length);
			System.arraycopy(tensor, 0, body, header.length, tensor.length);
			return body;
		}

		static RestTarget binary(Options options) {
			byte[] header = BINARY_HEADER.getBytes(StandardCharsets.UTF_8);
			byte[] body = binaryBody();
			return new RestTarget(options, true, INFER_PATH, "application/octet-stream", body,
					Map.of(HEADER_LENGTH, Integer.toString(header.length)), (reply) -> {
						require(reply.status == 200,
								"status " + reply.status + ": " + new String(reply.body, StandardCharsets.UTF_8));
						String length = reply.headerLength;
						require(length != null, "no " + HEADER_LENGTH + " header in the answer");
						int jsonLength = Integer.parseInt(length.trim());
						String json = new String(reply.body, 0, Math.min(jsonLength, reply.body.length),
								StandardCharsets.UTF_8);
						require(json.contains("\"score\""), "no \"score\" in the answer's JSON header: " + json);
						require(reply.body.length == jsonLength + ROWS * 4,
								"expected " + jsonLength + " + " + (ROWS * 4) + " bytes, got " + reply.body.length);
					});
		}

		static RestTarget live(Options options) {
			return new RestTarget(options, false, LIVE_PATH, "application/json", new byte[0], Map.of(),
					(reply) -> require(reply.status == 200, "status " + reply.status));
		}

		@Override
		public void call(Completion completion) {
			HttpClient.ResponseReceiver<?> request = this.post
					? this.client.post().uri(this.path).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.body)))
					: this.client.get().uri(this.path);
			// The body is drained (and its buffers released) without copying it: only the status counts here
			request.response((response, content) -> content.then(Mono.just(response.status().code())))
				.single()
				.subscribe((status) -> completion.done((status == 200) ? null : "HTTP " + status),
						(ex) -> completion.done(ex.getClass().getSimpleName() + ": " + ex.getMessage()));
		}

		@Override
		public void validate() throws Exception {
			HttpClient.ResponseReceiver<?> request = this.post
					? this.client.post().uri(this.path).send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(this.body)))
					: this.client.get().uri(this.path);
			Reply reply = request
				.responseSingle((response, content) -> content.asByteArray()
					.defaultIfEmpty(new byte[0])
					.map((bytes) -> new Reply(response.status().code(), response.responseHeaders().get(HEADER_LENGTH),
							bytes)))
				.block(TIMEOUT);
			require(reply != null, "no answer");
			this.validator.check(reply);
		}

		record Reply(int status, String headerLength, byte[] body) {
		}

		@FunctionalInterface
		interface Validator {

			void check(Reply reply);

		}

	}

	/** grpc-java's async stubs over a few HTTP/2 channels, round-robin, callbacks on Netty's event loops */
	static final class GrpcTarget implements Target {

		private final GRPCInferenceServiceStub[] stubs;

		private final AtomicInteger next = new AtomicInteger();

		private final boolean infer;

		private final ModelInferRequest request;

		private GrpcTarget(Options options, boolean infer) {
			int channels = Math.max(1, (options.inFlight + IN_FLIGHT_PER_CHANNEL - 1) / IN_FLIGHT_PER_CHANNEL);
			this.stubs = new GRPCInferenceServiceStub[channels];
			for (int i = 0; i < channels; i++) {
				ManagedChannel channel = NettyChannelBuilder.forAddress(options.host, options.grpcPort)
					.usePlaintext()
					.directExecutor()
					.maxInboundMessageSize(16 * 1024 * 1024)
					.build();
				this.stubs[i] = GRPCInferenceServiceGrpc.newStub(channel);
			}
			this.infer = infer;
			this.request = ModelInferRequest.newBuilder()
				.setModelName(MODEL)
				.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
					.setName("features")
					.setDatatype("FP32")
					.addShape(ROWS)
					.addShape(COLUMNS))
				.addRawInputContents(ByteString.copyFrom(Payload.littleEndian()))
				.build();
		}

		static GrpcTarget infer(Options options) {
			return new GrpcTarget(options, true);
		}

		static GrpcTarget live(Options options) {
			return new GrpcTarget(options, false);
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
			// Every channel once, so that all connect before the warm-up
			for (GRPCInferenceServiceStub stub : this.stubs) {
				GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub blocking = GRPCInferenceServiceGrpc
					.newBlockingStub(stub.getChannel())
					.withDeadlineAfter(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				if (this.infer) {
					ModelInferResponse response = blocking.modelInfer(this.request);
					require(response.getRawOutputContentsCount() == 1,
							"expected one raw_output_contents, got " + response.getRawOutputContentsCount());
					require(response.getRawOutputContents(0).size() == ROWS * 4, "expected " + (ROWS * 4)
							+ " bytes of raw output, got " + response.getRawOutputContents(0).size());
				}
				else {
					ServerLiveResponse response = blocking.serverLive(ServerLiveRequest.getDefaultInstance());
					require(response.getLive(), "ServerLive answered live = false");
				}
			}
		}

		static final class Observer<T> implements StreamObserver<T> {

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

	/** The same 10 x 40 features for every protocol: three decimals, from a fixed seed */
	static final class Payload {

		private static final float[][] FEATURES = features();

		private static float[][] features() {
			Random random = new Random(42);
			float[][] features = new float[ROWS][COLUMNS];
			for (float[] row : features) {
				for (int j = 0; j < COLUMNS; j++) {
					// Parsed back from its three-decimal text, so that JSON and the bytes carry the same values
					row[j] = Float.parseFloat(String.format(Locale.ROOT, "%.3f", random.nextFloat()));
				}
			}
			return features;
		}

		static String json() {
			StringBuilder json = new StringBuilder("{\"inputs\":[{\"name\":\"features\",\"shape\":[" + ROWS + ","
					+ COLUMNS + "],\"datatype\":\"FP32\",\"data\":[");
			for (int i = 0; i < ROWS; i++) {
				json.append((i > 0) ? ",[" : "[");
				for (int j = 0; j < COLUMNS; j++) {
					if (j > 0) {
						json.append(',');
					}
					json.append(String.format(Locale.ROOT, "%.3f", FEATURES[i][j]));
				}
				json.append(']');
			}
			return json.append("]}]}").toString();
		}

		static byte[] littleEndian() {
			ByteBuffer bytes = ByteBuffer.allocate(ROWS * COLUMNS * 4).order(ByteOrder.LITTLE_ENDIAN);
			for (float[] row : FEATURES) {
				for (float value : row) {
					bytes.putFloat(value);
				}
			}
			return bytes.array();
		}

	}

	/** Counts and latencies of the recorded window; completions before and after it count only in the total */
	static final class Recorder {

		private long[] latencies;

		private int requests;

		private long errors;

		private long totalCompletions;

		private final Map<String, Long> failures = new LinkedHashMap<>();

		private boolean recording;

		private volatile boolean stopped;

		private long startNanos;

		private long endNanos;

		Recorder(int capacity) {
			this.latencies = new long[capacity];
		}

		synchronized void record(String failure, long micros) {
			this.totalCompletions++;
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

		synchronized Result result() {
			long[] sorted = Arrays.copyOf(this.latencies, this.requests);
			Arrays.sort(sorted);
			double seconds = (this.endNanos - this.startNanos) / 1e9;
			return new Result(this.requests, this.errors, this.requests / seconds, percentile(sorted, 0.50) / 1000.0,
					percentile(sorted, 0.99) / 1000.0, this.totalCompletions, new LinkedHashMap<>(this.failures));
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

	record Result(long requests, long errors, double rps, double p50Ms, double p99Ms, long totalCompletions,
			Map<String, Long> failures) {
	}

	record Options(String protocol, int inFlight, int seconds, int warmup, String host, int httpPort, int grpcPort,
			Path out) {

		static Options parse(String[] args) {
			String protocol = null;
			int inFlight = 32;
			int seconds = 10;
			int warmup = 5;
			String host = "localhost";
			int httpPort = 18080;
			int grpcPort = 19090;
			Path out = null;
			for (int i = 0; i < args.length; i++) {
				String name = args[i];
				if (i + 1 >= args.length) {
					throw new IllegalArgumentException("no value for " + name);
				}
				String value = args[++i];
				switch (name) {
					case "--protocol" -> protocol = value;
					case "--in-flight" -> inFlight = positive(name, value);
					case "--seconds" -> seconds = positive(name, value);
					case "--warmup" -> warmup = number(name, value);
					case "--host" -> host = value;
					case "--http-port" -> httpPort = positive(name, value);
					case "--grpc-port" -> grpcPort = positive(name, value);
					case "--out" -> out = Path.of(value);
					default -> throw new IllegalArgumentException("unknown option " + name);
				}
			}
			if (protocol == null) {
				throw new IllegalArgumentException("--protocol is required");
			}
			if (!Arrays.asList("json", "binary", "grpc", "live-rest", "live-grpc").contains(protocol)) {
				throw new IllegalArgumentException("unknown protocol " + protocol);
			}
			return new Options(protocol, inFlight, seconds, warmup, host, httpPort, grpcPort, out);
		}

		private static int number(String name, String value) {
			try {
				int number = Integer.parseInt(value);
				if (number < 0) {
					throw new IllegalArgumentException(name + " must not be negative: " + value);
				}
				return number;
			}
			catch (NumberFormatException ex) {
				throw new IllegalArgumentException(name + " is not a number: " + value);
			}
		}

		private static int positive(String name, String value) {
			int number = number(name, value);
			if (number == 0) {
				throw new IllegalArgumentException(name + " must be positive: " + value);
			}
			return number;
		}

	}

	/**
	 * Writes the two REST inference bodies this driver sends, for another driver (protocols.sh's wrk runs) to send the
	 * same bytes: {@code json.body}, {@code binary.body} and {@code binary.header-length}, the binary body's JSON length.
	 */
	static void writeBodies(Path directory) throws IOException {
		Files.createDirectories(directory);
		Files.write(directory.resolve("json.body"), Payload.json().getBytes(StandardCharsets.UTF_8));
		Files.write(directory.resolve("binary.body"), RestTarget.binaryBody());
		Files.writeString(directory.resolve("binary.header-length"),
				Integer.toString(BINARY_HEADER.getBytes(StandardCharsets.UTF_8).length), StandardCharsets.UTF_8);
	}

	static void require(boolean condition, String message) {
		if (!condition) {
			throw new IllegalStateException(message);
		}
	}

}
