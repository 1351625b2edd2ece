package io.github.modelregistry.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import ai.onnxruntime.OrtSession;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.WarmupRequestReader;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.web.V2WarmupRequestReader;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * Auto-configuration of a {@link ModelRegistry} serving the ONNX models configured under
 * {@code model-registry.models.*}. Every bean backs off when the application defines its own.
 *
 * @author model-registry
 */
@AutoConfiguration
@ConditionalOnClass(OrtSession.class)
@EnableConfigurationProperties(ModelRegistryProperties.class)
public final class ModelRegistryAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	OnnxModelLoader onnxModelLoader(ModelRegistryProperties properties) {
		ModelRegistryProperties.Onnx onnx = properties.getOnnx();
		return new OnnxModelLoader(new OnnxSessionSettings(onnx.getIntraOpThreads(), onnx.getInterOpThreads(),
				onnx.getOptimizationLevel()));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "model-registry.tensor-pool.enabled", matchIfMissing = true)
	TensorBufferPool tensorBufferPool(ModelRegistryProperties properties) {
		ModelRegistryProperties.TensorPool pool = properties.getTensorPool();
		return new TensorBufferPool(pool.getMaxSize().toBytes(), (int) pool.getMaxBufferSize().toBytes());
	}

	@Bean
	@ConditionalOnMissingBean
	ModelRepository modelRepository(ResourceLoader resourceLoader) {
		return new ModelRepository(ResourcePatternUtils.getResourcePatternResolver(resourceLoader));
	}

	@Bean
	@ConditionalOnMissingBean
	ModelRegistry modelRegistry(ModelRegistryProperties properties, ModelRepository repository,
			OnnxModelLoader onnxModelLoader, ObjectProvider<WarmupRequestReader> warmupRequestReader) {
		Integer shards = properties.getShards();
		return new ModelRegistry(definitions(properties), repository, onnxModelLoader,
				(shards != null) ? shards : 0, properties.getLoadRetryInterval(),
				warmupRequestReader.getIfAvailable(() -> WarmupRequestReader.NONE));
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "tools.jackson.core.JsonParser")
	static class V2WarmupConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WarmupRequestReader warmupRequestReader(ResourceLoader resourceLoader) {
			return new V2WarmupRequestReader(ResourcePatternUtils.getResourcePatternResolver(resourceLoader),
					Integer.MAX_VALUE);
		}

	}

	static List<ModelDefinition> definitions(ModelRegistryProperties properties) {
		List<ModelDefinition> definitions = new ArrayList<>();
		properties.getModels().forEach((name, model) -> {
			String path = model.getPath();
			String location = (path != null) ? path : ModelRepository.locationOf(properties.getBasePath(), name);
			definitions.add(new ModelDefinition(name, location, policy(name, model),
					(model.getStrategy() != null) ? model.getStrategy() : properties.getStrategy(), model.getLoad(),
					model.getPollInterval(), model.isWarmup()));
		});
		return definitions;
	}

	private static VersionPolicy policy(String name, ModelRegistryProperties.Model model) {
		ModelRegistryProperties.VersionPolicy policy = model.getVersionPolicy();
		int set = ((model.getVersion() != null) ? 1 : 0) + ((policy.getLatest() != null) ? 1 : 0)
				+ (policy.getSpecific().isEmpty() ? 0 : 1);
		if (set > 1) {
			throw new IllegalArgumentException("Model '" + name + "' sets more than one of model-registry.models."
					+ name + ".version, .version-policy.latest and .version-policy.specific; set one");
		}
		if (model.getVersion() != null) {
			return VersionPolicy.specific(List.of(model.getVersion()));
		}
		if (policy.getLatest() != null) {
			return VersionPolicy.latest(policy.getLatest());
		}
		return policy.getSpecific().isEmpty() ? VersionPolicy.LATEST : VersionPolicy.specific(policy.getSpecific());
	}

}
