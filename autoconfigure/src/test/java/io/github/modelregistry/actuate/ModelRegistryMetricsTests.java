package io.github.modelregistry.actuate;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.InferenceModelLoader;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.Tensor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The native-memory meters on a real registry: {@code model.memory} per model and version, following what is
 * loaded, {@code model.memory.max}, and the {@code evict} and {@code refuse} lifecycle events.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ModelRegistryMetricsTests {

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 4, 3, 2, 1));

	@TempDir
	Path base;

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private ModelRegistry registry;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	private ModelRegistry registry(ModelRegistry.Builder builder) {
		this.registry = TestRegistries.started(builder);
		new ModelRegistryMetrics(this.registry).bindTo(this.meters);
		return this.registry;
	}

	private ModelDefinition definition(String name, VersionPolicy policy, LoadMode load, boolean evictable) {
		return new ModelDefinition(name, "file:" + this.base.resolve(name), policy, HolderStrategy.SHARDED_RCU, load,
				null, true, evictable);
	}

	private double memory(String model, String version) {
		return this.meters.get("model.memory").tags("model", model, "version", version).gauge().value();
	}

	@Test
	void eachVersionHeldHasItsOwnGaugeWithItsCharge() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "scorer", 2, TestModels.scorer(4, 1f));
		ModelRegistry registry = registry(TestRegistries.builder()
			.model(definition("scorer", VersionPolicy.latest(2), LoadMode.EAGER, false)));
		assertThat(registry.memoryBytesByVersion("scorer")).containsOnlyKeys(1L, 2L);
		assertThat(memory("scorer", "1")).isPositive()
			.isEqualTo(registry.memoryBytesByVersion("scorer").get(1L).doubleValue());
		assertThat(memory("scorer", "2")).isPositive()
			.isEqualTo(registry.memoryBytesByVersion("scorer").get(2L).doubleValue());
		assertThat(registry.memoryBytes("scorer"))
			.isEqualTo(registry.memoryBytesByVersion("scorer").get(1L) + registry.memoryBytesByVersion("scorer").get(2L));
		assertThat(registry.status("scorer").memoryBytesByVersion()).isEqualTo(registry.memoryBytesByVersion("scorer"));
		assertThat(this.meters.find("model.memory.max").gauge()).as("no budget, no gauge").isNull();
	}

	@Test
	void anEvictedVersionLosesItsGaugeAndTheEvictionIsCounted() {
		TestModels.write(this.base, "a", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "b", 1, TestModels.scorer(4, 0f));
		InferenceModelLoader onnx = new OnnxModelLoader(OnnxSessionSettings.DEFAULT);
		long max = 100L * 1024 * 1024;
		ModelRegistry registry = registry(ModelRegistry.builder()
			// Real sessions that declare 64 MB, which is then their charge: the budget holds one, never two
			.modelLoader((name, source) -> new ForwardingInferenceModel(onnx.load(name, source)) {

				@Override
				public long sizeBytes() {
					return 64L * 1024 * 1024;
				}

			})
			.memoryMax(max)
			.model(definition("a", VersionPolicy.LATEST, LoadMode.LAZY, true))
			.model(definition("b", VersionPolicy.LATEST, LoadMode.LAZY, true)));
		Gauge budget = this.meters.get("model.memory.max").gauge();
		assertThat(budget.value()).isEqualTo(max);
		assertThat(this.meters.find("model.memory").tag("model", "a").gauges()).as("not loaded yet").isEmpty();
		registry.infer("a", null, FEATURES, List.of());
		assertThat(memory("a", "1")).isEqualTo(64.0 * 1024 * 1024);
		registry.infer("b", null, FEATURES, List.of());
		assertThat(this.meters.find("model.memory").tag("model", "a").gauges()).as("evicted").isEmpty();
		assertThat(this.meters.get("model.lifecycle").tags("model", "a", "event", "evict").counter().count())
			.isEqualTo(1);
		assertThat(memory("b", "1")).isEqualTo(64.0 * 1024 * 1024);
		// a's next request loads it again, and b makes room
		registry.infer("a", null, FEATURES, List.of());
		assertThat(memory("a", "1")).isEqualTo(64.0 * 1024 * 1024);
		assertThat(this.meters.find("model.memory").tag("model", "b").gauges()).isEmpty();
	}

	@Test
	void anUnregisteredModelLosesItsMemoryGauges() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "guest", 1, TestModels.scorer(4, 0f));
		ModelRegistry registry = registry(TestRegistries.builder()
			.basePath("file:" + this.base)
			.model(definition("scorer", VersionPolicy.LATEST, LoadMode.EAGER, false)));
		registry.register("guest");
		assertThat(memory("guest", "1")).isPositive();
		registry.unregister("guest");
		assertThat(this.meters.find("model.memory").tag("model", "guest").gauges()).isEmpty();
		assertThat(memory("scorer", "1")).isPositive();
	}

}
