package footprint;

import java.lang.management.ManagementFactory;
import java.util.List;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.tensor.Tensor;

/**
 * Loads the sample's model from the folder given as the first argument, answers one inference, prints how long the
 * process took to get there, and waits, idle, to be measured and killed.
 */
public final class Job {

	public static void main(String[] args) throws Exception {
		ModelRegistry registry = ModelRegistry.builder()
			.modelLoader(new OnnxModelLoader(OnnxSessionSettings.DEFAULT)) // @LOADER@
			.model(new ModelDefinition("restaurant-ranker", "file:" + args[0] + "/restaurant-ranker", null,
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER))
			.build();
		registry.start();
		InferenceResult result = registry.infer("restaurant-ranker", null,
				List.of(Tensor.ofFloats("features", new long[] { 1, 40 }, new float[40])), List.of());
		System.out.println("Ready: version " + result.version() + " answered after "
				+ ManagementFactory.getRuntimeMXBean().getUptime() + " ms of process time");
		Thread.sleep(Long.MAX_VALUE);
	}

}
