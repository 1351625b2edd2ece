package io.github.modelregistry.baseline;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.webtestclient.autoconfigure.AutoConfigureWebTestClient;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The baseline on a real Netty server answers what the benchmark measures it on, and its inference gives the
 * model's own numbers: a measuring stick that computed something else would make the comparison meaningless.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
@AutoConfigureWebTestClient
class BaselineApplicationTests {

	private static final Path MODEL = Path.of("../sample-app/src/main/resources/models/restaurant-ranker/2/model.onnx");

	private static final Path BODY = Path.of("../gatling/src/test/resources/infer-10x40.json");

	@Autowired
	private WebTestClient client;

	@Test
	void liveAnswersTheTrivialJson() {
		this.client.get().uri("/live").exchange().expectStatus().isOk().expectBody().json("{\"live\":true}", true);
	}

	@Test
	void inferenceAnswersWhatTheModelComputes() throws Exception {
		assertScores("/infer", Files.readString(BODY));
	}

	@Test
	void leanInferenceOfFlatDataAnswersTheSameScores() throws Exception {
		// The same body with its rows flattened: V2 JSON allows row-major flat data
		String body = Files.readString(BODY);
		int data = body.indexOf("\"data\"");
		String flat = body.substring(0, data) + "\"data\":[" + body.substring(data + 7).replaceAll("[\\[\\]\\s]", "")
			.replaceAll("}+$", "") + "]}]}";
		assertThat(flat).doesNotContain("[[");
		assertScores("/infer-lean", flat);
	}

	private void assertScores(String path, String body) throws Exception {
		Map<String, Object> response = this.client.post()
			.uri(path)
			.contentType(MediaType.APPLICATION_JSON)
			.bodyValue(body)
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(new ParameterizedTypeReference<Map<String, Object>>() {
			})
			.returnResult()
			.getResponseBody();
		assertThat(response).containsEntry("model_name", "restaurant-ranker");
		List<?> outputs = (List<?>) response.get("outputs");
		assertThat(outputs).hasSize(1);
		Map<?, ?> output = (Map<?, ?>) outputs.get(0);
		float[] expected = direct();
		assertThat((List<?>) output.get("shape")).first().isEqualTo(10);
		List<?> data = (List<?>) output.get("data");
		assertThat(data).hasSize(expected.length);
		for (int i = 0; i < expected.length; i++) {
			assertThat(((Number) data.get(i)).floatValue()).as("score %d", i).isEqualTo(expected[i]);
		}
	}

	/** The same body run on a session of its own, fed through a flat buffer instead of the reflective copy. */
	static float[] direct() throws IOException, OrtException {
		float[] features = new float[10 * 40];
		String body = Files.readString(BODY);
		String numbers = body.substring(body.indexOf("\"data\"") + 6).replaceAll("[^0-9.eE+\\-]+", " ").trim();
		String[] values = numbers.split(" ");
		assertThat(values).hasSize(features.length);
		for (int i = 0; i < values.length; i++) {
			features[i] = Float.parseFloat(values[i]);
		}
		OrtEnvironment environment = OrtEnvironment.getEnvironment();
		try (OrtSession session = environment.createSession(Files.readAllBytes(MODEL));
				OnnxTensor tensor = OnnxTensor.createTensor(environment, FloatBuffer.wrap(features), new long[] { 10, 40 });
				OrtSession.Result result = session.run(Map.of("features", tensor))) {
			FloatBuffer scores = ((OnnxTensor) result.get(0)).getFloatBuffer();
			float[] out = new float[scores.remaining()];
			scores.get(out);
			return out;
		}
	}

}
