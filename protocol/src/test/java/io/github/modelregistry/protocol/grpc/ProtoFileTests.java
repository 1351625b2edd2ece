package io.github.modelregistry.protocol.grpc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The service definition ships in the protocol module's jar, at the path docs/v2-api.md gives, so that a client in
 * any language can generate its stubs from the artifact it already has.
 */
class ProtoFileTests {

	@Test
	void theProtoFileIsAtTheRootOfTheJar() throws IOException {
		try (InputStream in = getClass().getClassLoader().getResourceAsStream("open_inference_grpc.proto")) {
			assertThat(in).as("open_inference_grpc.proto on the class path").isNotNull();
			String proto = new String(in.readAllBytes(), StandardCharsets.UTF_8);
			assertThat(proto).contains("package inference;")
				.contains("service GRPCInferenceService")
				.contains("option java_package = \"io.github.modelregistry.protocol.grpc.v2\";");
		}
	}

}
