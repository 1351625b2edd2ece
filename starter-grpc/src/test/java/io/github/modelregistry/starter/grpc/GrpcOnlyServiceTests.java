package io.github.modelregistry.starter.grpc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.modelregistry.grpc.internal.GrpcServerPort;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.protocol.grpc.v2.ServerLiveRequest;
import io.github.modelregistry.registry.ModelRegistry;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A service built on {@code model-registry-spring-boot-starter-grpc} alone, started as a user's {@code main} starts
 * it: no HTTP server, no spring-web or WebFlux on its class path, one listening socket (the gRPC server's), and the
 * Open Inference Protocol's gRPC service answering inference from a real ONNX model.
 */
class GrpcOnlyServiceTests {

	@TempDir
	Path models;

	@Test
	void theStarterBringsNoHttpServerAndNoSpringWeb() {
		for (String type : List.of("org.springframework.http.HttpStatus", "org.springframework.web.reactive.DispatcherHandler",
				"org.springframework.web.servlet.DispatcherServlet", "reactor.netty.http.server.HttpServer",
				"org.apache.catalina.startup.Tomcat", "org.eclipse.jetty.server.Server",
				"org.springframework.boot.web.server.WebServer")) {
			assertThat(ClassUtils.isPresent(type, null)).as(type).isFalse();
		}
	}

	@Test
	void aGrpcOnlyServiceListensOnItsGrpcPortAloneAndServesInference() throws Exception {
		TestModels.write(this.models, "scorer", 1, TestModels.scorer(4, 0.5f));
		Set<Long> socketsBefore = listeningSockets();
		SpringApplication application = new SpringApplication(GrpcOnlyService.class);
		try (ConfigurableApplicationContext context = application.run("--spring.grpc.server.port=0",
				"--model-registry.base-path=file:" + this.models, "--model-registry.models.scorer.load=eager")) {
			assertThat(application.getWebApplicationType()).isEqualTo(WebApplicationType.NONE);
			// A plain context: Spring Boot's web server contexts are not even on the class path
			assertThat(context).isExactlyInstanceOf(AnnotationConfigApplicationContext.class);
			int port = context.getBean(GrpcServerPort.class).port();
			Set<Long> opened = listeningSockets();
			opened.removeAll(socketsBefore);
			assertThat(listeningPorts(opened)).containsExactly(port);
			assertThat(context.getBean(ModelRegistry.class).ready("scorer", null)).isTrue();

			ManagedChannel channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
			try {
				GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub = GRPCInferenceServiceGrpc
					.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS);
				assertThat(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive()).isTrue();
				ModelInferResponse answer = stub.modelInfer(ModelInferRequest.newBuilder()
					.setModelName("scorer")
					.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
						.setName("features")
						.setDatatype("FP32")
						.addAllShape(List.of(1L, 4L))
						.setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f, 4f))))
					.build());
				assertThat(answer.getModelVersion()).isEqualTo("1");
				assertThat(answer.getOutputs(0).getName()).isEqualTo("score");
				// Typed contents in, typed contents out
				assertThat(answer.getRawOutputContentsCount()).isZero();
				float score = answer.getOutputs(0).getContents().getFp32Contents(0);
				float expected = (float) (1 / (1 + Math.exp(-(1 * -0.5 + 2 * -0.25 + 3 * 0 + 4 * 0.25 + 0.5))));
				assertThat(score).isCloseTo(expected, org.assertj.core.data.Offset.offset(1e-5f));
			}
			finally {
				channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
			}
		}
	}

	/**
	 * The inodes of this process's sockets that are listening TCP sockets, from {@code /proc}.
	 */
	private static Set<Long> listeningSockets() throws IOException {
		Set<Long> own = new HashSet<>();
		try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
			for (Path fd : (Iterable<Path>) fds::iterator) {
				try {
					String target = Files.readSymbolicLink(fd).toString();
					if (target.startsWith("socket:[")) {
						own.add(Long.parseLong(target.substring(8, target.length() - 1)));
					}
				}
				catch (IOException ex) {
					// Closed while listed
				}
			}
		}
		Set<Long> listening = new HashSet<>();
		for (String[] socket : tcpSockets()) {
			long inode = Long.parseLong(socket[9]);
			if ("0A".equals(socket[3]) && own.contains(inode)) {
				listening.add(inode);
			}
		}
		return listening;
	}

	private static Set<Integer> listeningPorts(Set<Long> inodes) throws IOException {
		Set<Integer> ports = new TreeSet<>();
		for (String[] socket : tcpSockets()) {
			if (inodes.contains(Long.parseLong(socket[9]))) {
				String local = socket[1];
				ports.add(Integer.parseInt(local.substring(local.indexOf(':') + 1), 16));
			}
		}
		return ports;
	}

	private static List<String[]> tcpSockets() throws IOException {
		List<String[]> sockets = new java.util.ArrayList<>();
		for (String table : List.of("/proc/self/net/tcp", "/proc/self/net/tcp6")) {
			Path path = Path.of(table);
			if (Files.exists(path)) {
				Files.readAllLines(path).stream().skip(1).map(String::trim).map((line) -> line.split("\\s+"))
					.forEach(sockets::add);
			}
		}
		return sockets;
	}

	@SpringBootApplication
	static class GrpcOnlyService {

		@Bean
		GrpcServerPort grpcServerPort() {
			return new GrpcServerPort();
		}

	}

}
