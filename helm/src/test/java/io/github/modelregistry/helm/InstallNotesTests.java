package io.github.modelregistry.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import com.marcnuri.helm.Release;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What {@code helm install} prints (NOTES.txt), from a client-only dry run: no cluster is needed.
 */
class InstallNotesTests {

	@Test
	void notesTellHowToReachTheApiAndTheProtectedActuator() {
		String notes = install().call().getOutput();
		assertThat(notes).contains("STATUS: pending-install")
			.contains("2 replica(s), strategy sharded-rcu, models restaurant-ranker baked into the image.")
			.contains("kubectl --namespace ml rollout status deployment/recs-model-registry")
			.contains("port-forward service/recs-model-registry 8080:80")
			.contains("get secret recs-model-registry -o jsonpath='{.data.password}'")
			.contains("curl -u operator:$PW localhost:8081/actuator/models")
			.doesNotContain("Roll out a new model version");
	}

	@Test
	void notesForASharedVolumeShowHowToRollOutANewVersion() {
		Release release = install().set("strategy", "rwlock")
			.set("modelStorage.type", "volume")
			.set("modelStorage.volume.existingClaim", "shared-models")
			.call();
		assertThat(release.getOutput())
			.contains("strategy rwlock, models restaurant-ranker on the shared volume shared-models, polled every 30s.")
			.contains("\"claimName\":\"shared-models\"")
			.contains("mv /models/restaurant-ranker/.incoming-3 /models/restaurant-ranker/3");
	}

	private static InstallCommand install() {
		return new Helm(Chart.DIR).install()
			.withName(Chart.RELEASE)
			.withNamespace(Chart.NAMESPACE)
			.clientOnly()
			.dryRun();
	}

}
