package io.github.modelregistry.helm;

import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The three places models come from: the image (default), a shared volume every replica polls, or an init container
 * that fetches them. Whatever the source, the app reads models read-only.
 */
class ModelStorageTests {

	@Test
	void modelsBakedIntoTheImageAreReadFromTheClasspathWithoutPolling() {
		Manifests manifests = Chart.render();
		JsonNode config = manifests.applicationYaml().path("model-registry");
		assertThat(config.path("base-path").stringValue()).isEqualTo("classpath:models");
		assertThat(config.at("/models/restaurant-ranker/load").stringValue()).isEqualTo("eager");
		assertThat(config.at("/models/restaurant-ranker").has("poll-interval")).isFalse();
		assertThat(names(manifests.podSpec().path("volumes"))).containsExactly("config", "tmp");
		assertThat(manifests.podSpec().has("initContainers")).isFalse();
		assertThat(manifests.ofKind("PersistentVolumeClaim")).isEmpty();
	}

	@Test
	void sharedVolumeIsMountedReadOnlyAndTurnsPollingOn() {
		Manifests manifests = Chart.render("""
				modelStorage:
				  type: volume
				  volume:
				    existingClaim: shared-models
				    pollInterval: 15s
				""");
		JsonNode volume = manifests.volume("models");
		assertThat(volume.at("/persistentVolumeClaim/claimName").stringValue()).isEqualTo("shared-models");
		assertThat(volume.at("/persistentVolumeClaim/readOnly").booleanValue()).isTrue();
		JsonNode mount = manifests.mount("models");
		assertThat(mount.path("mountPath").stringValue()).isEqualTo("/models");
		assertThat(mount.path("readOnly").booleanValue()).isTrue();

		JsonNode config = manifests.applicationYaml().path("model-registry");
		assertThat(config.path("base-path").stringValue()).isEqualTo("file:/models");
		assertThat(config.at("/models/restaurant-ranker/poll-interval").stringValue()).isEqualTo("15s");
		// An existing claim is the user's: the chart creates none
		assertThat(manifests.ofKind("PersistentVolumeClaim")).isEmpty();
	}

	@Test
	void sharedVolumePollsEveryThirtySecondsUnlessAModelSaysOtherwise() {
		JsonNode models = Chart.render("""
				modelStorage:
				  type: volume
				  volume:
				    existingClaim: shared-models
				models:
				  fraud-scorer:
				    pollInterval: 5m
				""").applicationYaml().at("/model-registry/models");
		assertThat(models.at("/restaurant-ranker/poll-interval").stringValue()).isEqualTo("30s");
		assertThat(models.at("/fraud-scorer/poll-interval").stringValue()).isEqualTo("5m");
	}

	@Test
	void sharedVolumeCanBeCreatedByTheChartAndOutlivesTheRelease() {
		Manifests manifests = Chart.render("""
				modelStorage:
				  type: volume
				  volume:
				    create: true
				    storageClassName: nfs
				    size: 5Gi
				""");
		JsonNode claim = manifests.get("PersistentVolumeClaim", Chart.FULLNAME + "-models");
		assertThat(claim.at("/metadata/annotations/helm.sh~1resource-policy").stringValue()).isEqualTo("keep");
		assertThat(claim.at("/spec/accessModes/0").stringValue()).isEqualTo("ReadWriteMany");
		assertThat(claim.at("/spec/storageClassName").stringValue()).isEqualTo("nfs");
		assertThat(claim.at("/spec/resources/requests/storage").stringValue()).isEqualTo("5Gi");
		assertThat(manifests.volume("models").at("/persistentVolumeClaim/claimName").stringValue())
			.isEqualTo(Chart.FULLNAME + "-models");
		assertThat(manifests.volume("models").at("/persistentVolumeClaim/readOnly").booleanValue()).isTrue();
	}

	@Test
	void sharedVolumeWithoutAClaimIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.render("""
				modelStorage:
				  type: volume
				""")).withMessageContaining("modelStorage").withMessageContaining("existingClaim");
	}

	@Test
	void initContainerFetchesModelsIntoAnEmptyDirTheAppReadsReadOnly() {
		Manifests manifests = Chart.render("""
				modelStorage:
				  type: initContainer
				  initContainer:
				    downloads:
				      - url: https://models.example.com/restaurant-ranker/2/model.onnx
				        path: restaurant-ranker/2/model.onnx
				      - url: https://models.example.com/restaurant-ranker/2/warmup/1.json
				        path: restaurant-ranker/2/warmup/1.json
				""");
		JsonNode init = manifests.podSpec().at("/initContainers/0");
		assertThat(init.path("name").stringValue()).isEqualTo("fetch-models");
		assertThat(init.path("image").stringValue()).isEqualTo("curlimages/curl:8.11.1");
		assertThat(init.path("args").valueStream().map(JsonNode::stringValue)).containsExactly(
				"https://models.example.com/restaurant-ranker/2/model.onnx", "restaurant-ranker/2/model.onnx",
				"https://models.example.com/restaurant-ranker/2/warmup/1.json", "restaurant-ranker/2/warmup/1.json");
		// The URLs reach the script as arguments, never spliced into it
		assertThat(init.at("/command/2").stringValue()).doesNotContain("example.com").contains("mv \"$target.part\" \"$target\"");
		assertThat(Manifests.named(init.path("volumeMounts"), "models").path("mountPath").stringValue()).isEqualTo("/models");
		assertThat(init.at("/securityContext/readOnlyRootFilesystem").booleanValue()).isTrue();

		assertThat(manifests.volume("models").at("/emptyDir/sizeLimit").stringValue()).isEqualTo("1Gi");
		assertThat(manifests.mount("models").path("readOnly").booleanValue()).isTrue();
		JsonNode config = manifests.applicationYaml().path("model-registry");
		assertThat(config.path("base-path").stringValue()).isEqualTo("file:/models");
		assertThat(config.at("/models/restaurant-ranker").has("poll-interval"))
			.as("nothing changes in an emptyDir after start-up")
			.isFalse();
	}

	@Test
	void initContainerRunsACommandOfYourOwn() {
		JsonNode init = Chart.render("""
				modelStorage:
				  type: initContainer
				  initContainer:
				    image: {repository: amazon/aws-cli, tag: "2.22.0"}
				    command: [aws, s3, sync, "s3://bucket/models", /models]
				""").podSpec().at("/initContainers/0");
		assertThat(init.path("image").stringValue()).isEqualTo("amazon/aws-cli:2.22.0");
		assertThat(init.path("command").valueStream().map(JsonNode::stringValue))
			.containsExactly("aws", "s3", "sync", "s3://bucket/models", "/models");
		assertThat(init.has("args")).isFalse();
	}

	@Test
	void initContainerWithNothingToFetchIsRejected() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.render("""
				modelStorage:
				  type: initContainer
				""")).withMessageContaining("initContainer");
	}

	private static List<String> names(JsonNode list) {
		return list.valueStream().map((item) -> item.path("name").stringValue()).toList();
	}

}
