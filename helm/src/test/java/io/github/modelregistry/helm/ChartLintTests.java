package io.github.modelregistry.helm;

import com.marcnuri.helm.LintResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code helm lint --strict} (warnings fail too) for the default values and for each model-storage option and
 * optional feature. helm-java's lint reads only the chart's own values.yaml, so each option is linted on a copy of
 * the chart with the option merged into it.
 */
class ChartLintTests {

	@Test
	void chartPassesStrictLintWithItsDefaultValues() {
		assertPasses(Chart.lint(""));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("io.github.modelregistry.helm.ChartLintTests#options")
	void chartPassesStrictLintWithEachOption(String option, String values) {
		assertPasses(Chart.lint(values));
	}

	static Stream<Arguments> options() {
		return Stream.of(
				Arguments.of("models on an existing shared volume", """
						modelStorage:
						  type: volume
						  volume:
						    existingClaim: models
						"""),
				Arguments.of("models on a shared volume the chart creates", """
						modelStorage:
						  type: volume
						  volume:
						    create: true
						    storageClassName: nfs
						"""),
				Arguments.of("models fetched by an init container", """
						modelStorage:
						  type: initContainer
						  initContainer:
						    downloads:
						      - url: https://models.example.com/restaurant-ranker/2/model.onnx
						        path: restaurant-ranker/2/model.onnx
						"""),
				Arguments.of("every optional feature", """
						strategy: rwlock
						autoscaling:
						  enabled: true
						ingress:
						  enabled: true
						  className: nginx
						  tls:
						    - secretName: models-tls
						      hosts: [models.example.com]
						serviceMonitor:
						  enabled: true
						managementService:
						  enabled: true
						auth:
						  existingSecret: model-registry-operator
						"""));
	}

	private static void assertPasses(LintResult result) {
		assertThat(result.isFailed()).as("lint failed: %s", result.getMessages()).isFalse();
		// Helm's only remark on this chart is informational: it has no icon
		assertThat(result.getMessages()).allSatisfy((message) -> assertThat(message).startsWith("[INFO]"));
	}

}
