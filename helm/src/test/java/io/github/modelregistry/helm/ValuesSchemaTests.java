package io.github.modelregistry.helm;

import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * values.schema.json rejects values the app or Kubernetes would reject later, at {@code helm install} time, with a
 * message naming the value. Each test renders and expects Helm's schema failure.
 */
class ValuesSchemaTests {

	private static final String SCHEMA_FAILURE = "values don't meet the specifications of the schema";

	@Test
	void invalidStrategyIsRejectedBySchema() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("strategy", "spinlock")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("strategy")
			.withMessageContaining("sharded-rcu");
	}

	@Test
	void invalidStrategyOfOneModelIsRejectedBySchema() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Chart.renderWithSet(Map.of("models.restaurant-ranker.strategy", "RwLock")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("models.restaurant-ranker.strategy");
	}

	@Test
	void negativeReplicaCountIsRejectedBySchema() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("replicaCount", -1)))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("replicaCount");
	}

	@Test
	void nonNumericReplicaCountIsRejectedBySchema() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("replicaCount", "many")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("replicaCount");
	}

	@Test
	void portsMustBeNumbersWithinRange() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("ports.management", "actuator")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("ports.management");
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("service.port", 70000)))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("service.port");
	}

	@Test
	void unknownModelStorageTypeIsRejectedBySchema() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("modelStorage.type", "s3")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("modelStorage.type");
	}

	@Test
	void misspelledValueIsRejectedBySchema() {
		// additionalProperties: false catches typos that would otherwise be ignored silently
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("replicas", 3)))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("replicas");
		assertThatIllegalStateException()
			.isThrownBy(() -> Chart.renderWithSet(Map.of("modelStorage.volume.pollIntervall", "10s")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("pollIntervall");
	}

	@Test
	void pollIntervalMustBeADuration() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Chart.renderWithSet(Map.of("modelStorage.volume.pollInterval", "often")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("pollInterval");
	}

	@Test
	void memoryMaxMustBeAPositiveDataSize() {
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("memory.max", "lots")))
			.withMessageContaining(SCHEMA_FAILURE)
			.withMessageContaining("max");
		assertThatIllegalStateException().isThrownBy(() -> Chart.renderWithSet(Map.of("memory.max", "0MB")))
			.withMessageContaining(SCHEMA_FAILURE);
	}

	@Test
	void sameHttpAndManagementPortIsRejected() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Chart.renderWithSet(Map.of("ports.http", 8081, "ports.management", 8081)))
			.withMessageContaining("ports.http and ports.management must differ");
	}

}
