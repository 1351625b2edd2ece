package io.github.modelregistry.grpc.internal;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.protocol.grpc.v2.GRPCInferenceServiceGrpc;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferRequest;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A gRPC service that adds {@code spring-boot-starter-security} (on this module's test class path) and keeps its
 * defaults: it starts without a WARN line, and machine clients infer over gRPC without credentials.
 */
@ExtendWith(OutputCaptureExtension.class)
class GrpcWithBootSecurityTests {

	@TempDir
	Path models;

	@Test
	void startsQuietlyAndServesInferenceWithoutCredentials(CapturedOutput output) throws Exception {
		TestModels.write(this.models, "scorer", 1, TestModels.scorer(4, 0.5f));
		SpringApplication application = new SpringApplication(SecuredGrpcService.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run("--spring.grpc.server.port=0",
				"--model-registry.base-path=" + this.models, "--model-registry.models.scorer.load=eager",
				"--spring.security.user.password=secret")) {
			assertThat(output.getAll().lines().filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")))
				.isEmpty();
			ManagedChannel channel = ManagedChannelBuilder
				.forAddress("localhost", context.getBean(GrpcServerPort.class).port())
				.usePlaintext()
				.build();
			try {
				ModelInferResponse answer = GRPCInferenceServiceGrpc.newBlockingStub(channel)
					.withDeadlineAfter(10, TimeUnit.SECONDS)
					.modelInfer(ModelInferRequest.newBuilder()
						.setModelName("scorer")
						.addInputs(ModelInferRequest.InferInputTensor.newBuilder()
							.setName("features")
							.setDatatype("FP32")
							.addAllShape(List.of(1L, 4L))
							.setContents(InferTensorContents.newBuilder().addAllFp32Contents(List.of(1f, 2f, 3f, 4f))))
						.build());
				assertThat(answer.getOutputs(0).getName()).isEqualTo("score");
			}
			finally {
				channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
			}
		}
	}

	@SpringBootApplication
	static class SecuredGrpcService {

		@Bean
		GrpcServerPort grpcServerPort() {
			return new GrpcServerPort();
		}

	}

}
