package io.github.modelregistry.registry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The native-memory budget on real ONNX Runtime sessions: a load that would not fit is refused before it starts,
 * what served before goes on serving, and a closed version gives its charge back.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MemoryBudgetTests {

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 2, 4 }, 4, 3, 2, 1, 0, 0, 0, 0));

	private static final long MB = 1024 * 1024;

	@TempDir
	Path base;

	private final RuntimeRegistrationTests.Sessions sessions = new RuntimeRegistrationTests.Sessions();

	private ModelRegistry registry;

	private long firstCharge;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
			assertThat(this.registry.memoryBytes()).isZero();
		}
		assertThat(this.sessions.open()).isZero();
	}

	/**
	 * A registry serving a small model, with room for {@code spare} bytes more than that model's charge. Loads
	 * measure the whole process's resident memory, so the budget is set from what the first registry charged.
	 */
	private ModelRegistry registry(long spare) {
		TestModels.write(this.base, "resident", 1, TestModels.scorer(4, 0f));
		// The process's first session also charges ONNX Runtime's one-time set-up: probe after it
		TestRegistries.started(builder(Long.MAX_VALUE - 1)).close();
		ModelRegistry probe = TestRegistries.started(builder(Long.MAX_VALUE - 1));
		long resident = probe.memoryBytes();
		probe.close();
		this.registry = TestRegistries.started(builder(resident + spare));
		return this.registry;
	}

	private ModelRegistry.Builder builder(long max) {
		return ModelRegistry.builder()
			.modelLoader(this.sessions)
			.basePath("file:" + this.base)
			.memoryMax(max)
			.model(new ModelDefinition("resident", "file:" + this.base.resolve("resident"), null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER));
	}

	@Test
	void aModelWhoseFileDoesNotFitIsRefusedAndNothingChanges() throws Exception {
		ModelRegistry registry = registry(2 * MB);
		long charged = registry.memoryBytes();
		Path big = TestModels.write(this.base, "big", 1, TestModels.perceptron(40, 25_000, 1));
		assertThat(Files.size(big)).isGreaterThan(2 * MB);
		assertThatExceptionOfType(ModelMemoryExceededException.class).isThrownBy(() -> registry.register("big"))
			.withMessageContaining("Model 'big' version 1 needs at least "
					+ String.format(java.util.Locale.ROOT, "%.1f MB", Files.size(big) / (double) MB))
			.withMessageContaining("model-registry.memory.max");
		assertThat(registry.names()).containsExactly("resident");
		assertThat(this.sessions.opened("big")).isZero();
		assertThat(registry.memoryBytes()).isEqualTo(charged);
		assertThat(registry.infer("resident", null, FEATURES, List.of()).version()).isEqualTo(1);
	}

	@Test
	void aModelThatFitsIsChargedAndGivesItsChargeBackWhenUnregistered() {
		ModelRegistry registry = registry(64 * MB);
		long before = registry.memoryBytes();
		TestModels.write(this.base, "big", 1, TestModels.perceptron(40, 25_000, 1));
		registry.register("big");
		assertThat(registry.memoryBytes()).isEqualTo(before + registry.memoryBytes("big"));
		registry.unregister("big");
		assertThat(registry.memoryBytes()).isEqualTo(before);
	}

	@Test
	void aReloadThatDoesNotFitFailsAndThePreviousVersionKeepsServing() {
		ModelRegistry registry = registry(2 * MB);
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 1f));
		TestModels.write(this.base, "guest", 2, TestModels.perceptron(4, 250_000, 2));
		registry.register(new ModelDefinition("guest", "file:" + this.base.resolve("guest"),
				VersionPolicy.specific(List.of(1L)), HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null, true));
		long charged = registry.memoryBytes();
		ReloadResult result = registry.reload("guest", 2);
		assertThat(result.outcome()).isEqualTo(ReloadResult.Outcome.FAILED);
		assertThat(result.message()).contains("model-registry.memory.max");
		assertThat(registry.infer("guest", null, FEATURES, List.of()).version()).isEqualTo(1);
		assertThat(registry.memoryBytes()).isEqualTo(charged);
	}

	@Test
	void aReplacedVersionGivesItsChargeBackOnceItIsRetired() {
		ModelRegistry registry = registry(64 * MB);
		TestModels.write(this.base, "guest", 1, TestModels.perceptron(4, 250_000, 1));
		TestModels.write(this.base, "guest", 2, TestModels.perceptron(4, 250_000, 2));
		registry.register(new ModelDefinition("guest", "file:" + this.base.resolve("guest"),
				VersionPolicy.specific(List.of(1L)), HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null, true));
		long withFirst = registry.memoryBytes();
		this.firstCharge = registry.memoryBytes("guest");
		assertThat(registry.reload("guest", 2).outcome()).isEqualTo(ReloadResult.Outcome.RELOADED);
		// The first version closes on the retirer once drained: its charge goes with it
		await().atMost(30, TimeUnit.SECONDS).until(() -> this.sessions.open("guest") == 1);
		assertThat(withFirst).isEqualTo(registry.memoryBytes("resident") + this.firstCharge);
		assertThat(registry.memoryBytes()).isEqualTo(registry.memoryBytes("resident") + registry.memoryBytes("guest"));
	}

}
