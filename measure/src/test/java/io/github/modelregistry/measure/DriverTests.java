package io.github.modelregistry.measure;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveRequest;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveResponse;
import io.grpc.Server;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The load generators against real servers: the JDK's HTTP server for REST, grpc-java's Netty server for gRPC. Each
 * checks the body it receives, so a generator that sent the wrong bytes would see errors.
 */
class DriverTests {

	private static final Duration LEAD = Duration.ofMillis(300);

	private static final Duration RECORDED = Duration.ofSeconds(1);

	private HttpServer http;

	private ExecutorService executor;

	private final AtomicInteger served = new AtomicInteger();

	private final AtomicInteger failAfter = new AtomicInteger(Integer.MAX_VALUE);

	@BeforeEach
	void startHttp() throws IOException {
		this.http = HttpServer.create(new InetSocketAddress("localhost", 0), 64);
		this.executor = Executors.newFixedThreadPool(4);
		this.http.setExecutor(this.executor);
		this.http.createContext("/live", (exchange) -> answer(exchange, 200, "{\"live\":true}"));
		this.http.createContext("/infer", (exchange) -> {
			byte[] body = exchange.getRequestBody().readAllBytes();
			Endpoint expected = Endpoint.v2Binary("binary", "/infer");
			boolean right = Arrays.equals(body, expected.body()) && expected.headers()
				.get(Endpoint.HEADER_LENGTH)
				.equals(exchange.getRequestHeaders().getFirst(Endpoint.HEADER_LENGTH));
			answer(exchange, right ? 200 : 400, right ? "{\"outputs\":[{\"name\":\"score\"}]}" : "wrong body");
		});
		this.http.start();
	}

	private void answer(HttpExchange exchange, int status, String text) throws IOException {
		int n = this.served.incrementAndGet();
		int code = (n > this.failAfter.get()) ? 503 : status;
		byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(code, bytes.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	@AfterEach
	void stopHttp() {
		this.http.stop(0);
		this.executor.shutdownNow();
	}

	private Load.Address address() {
		return new Load.Address("localhost", this.http.getAddress().getPort(), 0);
	}

	@Test
	void theDriverKeepsRequestsInFlightAndRecordsOnlyTheWindow() {
		List<String> hooks = new ArrayList<>();
		LoadResult result = new Driver().run(address(), Endpoint.get("live", "/live", "\"live\""), 4, LEAD, RECORDED,
				new Load.Window() {

					@Override
					public void opened() {
						hooks.add("opened");
					}

					@Override
					public void closed() {
						hooks.add("closed");
					}

				});
		assertThat(hooks).containsExactly("opened", "closed");
		assertThat(result.errors()).isZero();
		assertThat(result.requests()).isPositive().isLessThan(this.served.get());
		assertThat(result.seconds()).isBetween(0.9, 2.0);
		assertThat(result.p99Ms()).isGreaterThanOrEqualTo(result.p50Ms()).isPositive();
	}

	@Test
	void theDriverSendsTheBinaryBodyAndItsHeaderLength() {
		LoadResult result = new Driver().run(address(), Endpoint.v2Binary("binary", "/infer"), 2, LEAD, RECORDED,
				Load.Window.NONE);
		assertThat(result.requests()).isPositive();
		assertThat(result.errors()).isZero();
	}

	@Test
	void failedAnswersAreCountedByCause() {
		// The check of the first answer passes; then the server fails everything
		this.failAfter.set(1);
		LoadResult result = new Driver().run(address(), Endpoint.get("live", "/live", "\"live\""), 2, LEAD, RECORDED,
				Load.Window.NONE);
		assertThat(result.requests()).isZero();
		assertThat(result.errors()).isPositive();
		assertThat(result.failures()).containsOnlyKeys("HTTP 503");
	}

	@Test
	void aFirstAnswerWithoutWhatTheEndpointPromisesStopsTheRun() {
		assertThatIllegalStateException()
			.isThrownBy(() -> new Driver().run(address(), Endpoint.get("live", "/live", "\"ready\""), 2, LEAD,
					RECORDED, Load.Window.NONE))
			.withMessageContaining("no \"ready\" in {\"live\":true}");
	}

	@Test
	void wrkSendsTheSameBinaryBody() {
		assumeTrue(Wrk.installed(), "wrk is not installed");
		LoadResult result = new Wrk().run(address(), Endpoint.v2Binary("binary", "/infer"), 2, Duration.ZERO,
				Duration.ofSeconds(1), Load.Window.NONE);
		assertThat(result.requests()).isPositive();
		assertThat(result.errors()).isZero();
	}

	@Test
	void theDriverSpeaksGrpc() throws Exception {
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress("localhost", 0))
			.addService(new GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase() {

				@Override
				public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> answer) {
					answer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
					answer.onCompleted();
				}

				@Override
				public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> answer) {
					// Ten scores for the 10 x 40 features, if that is what came
					if (request.getRawInputContents(0).size() != Endpoint.ROWS * Endpoint.COLUMNS * 4) {
						answer.onError(io.grpc.Status.INVALID_ARGUMENT.asException());
						return;
					}
					answer.onNext(ModelInferResponse.newBuilder()
						.addRawOutputContents(ByteString.copyFrom(new byte[Endpoint.ROWS * 4]))
						.build());
					answer.onCompleted();
				}

			})
			.build()
			.start();
		try {
			Load.Address address = new Load.Address("localhost", 1, server.getPort());
			for (Endpoint endpoint : List.of(Endpoint.grpcInfer("gRPC"), Endpoint.grpcLive("gRPC live"))) {
				LoadResult result = new Driver().run(address, endpoint, 40, LEAD, RECORDED, Load.Window.NONE);
				assertThat(result.requests()).as(endpoint.name()).isPositive();
				assertThat(result.errors()).as(endpoint.name()).isZero();
			}
		}
		finally {
			server.shutdownNow().awaitTermination();
		}
	}

}
