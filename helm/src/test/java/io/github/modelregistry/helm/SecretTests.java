package io.github.modelregistry.helm;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Actuator's password travels from a Secret to the app's environment, and nowhere else.
 */
class SecretTests {

	@Test
	void givenPasswordIsReferencedFromTheSecretAndNeverRenderedInTheConfigMap() {
		String password = "correct-horse-battery-staple";
		Manifests manifests = Chart.renderWithSet(Map.of("auth.password", password));

		JsonNode secret = manifests.get("Secret", Chart.FULLNAME);
		assertThat(decode(secret.at("/data/password"))).isEqualTo(password);
		assertPasswordComesFromSecret(manifests, Chart.FULLNAME, "password");

		assertThat(manifests.configMap().toString()).doesNotContain(password);
		assertThat(manifests.deployment().toString()).doesNotContain(password);
		// Only the Secret holds it, and only base64-encoded as Kubernetes stores it
		assertThat(manifests.text()).doesNotContain(password);
	}

	@Test
	void passwordIsGeneratedWhenNoneIsGiven() {
		Manifests manifests = Chart.render();
		String generated = decode(manifests.get("Secret", Chart.FULLNAME).at("/data/password"));
		assertThat(generated).hasSize(32).matches("[A-Za-z0-9]+");
		assertPasswordComesFromSecret(manifests, Chart.FULLNAME, "password");
		assertThat(manifests.configMap().toString()).doesNotContain(generated);
		// helm template cannot look the release's Secret up, so each render draws anew; in a cluster an upgrade
		// keeps the password already there (lookup)
		assertThat(decode(Chart.render().get("Secret", Chart.FULLNAME).at("/data/password"))).isNotEqualTo(generated);
	}

	@Test
	void existingSecretIsReferencedAndNoSecretIsRendered() {
		Manifests manifests = Chart.renderWithSet(
				Map.of("auth.existingSecret", "model-registry-operator", "auth.existingSecretKey", "actuator-password"));
		assertThat(manifests.ofKind("Secret")).isEmpty();
		assertPasswordComesFromSecret(manifests, "model-registry-operator", "actuator-password");
	}

	private static void assertPasswordComesFromSecret(Manifests manifests, String secret, String key) {
		JsonNode variable = manifests.env("SPRING_SECURITY_USER_PASSWORD");
		assertThat(variable.has("value")).as("a literal password in the pod spec").isFalse();
		assertThat(variable.at("/valueFrom/secretKeyRef/name").stringValue()).isEqualTo(secret);
		assertThat(variable.at("/valueFrom/secretKeyRef/key").stringValue()).isEqualTo(key);
	}

	private static String decode(JsonNode base64) {
		return new String(Base64.getDecoder().decode(base64.stringValue()), StandardCharsets.UTF_8);
	}

}
