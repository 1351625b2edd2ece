package io.github.modelregistry.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OrtSession;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.pipeline.MeanPooling;
import io.github.modelregistry.pipeline.Pipeline;
import io.github.modelregistry.pipeline.PipelineStageFactory;
import io.github.modelregistry.registry.InferenceModelLoader;
import io.github.modelregistry.registry.InferenceObservationConvention;
import io.github.modelregistry.registry.InferenceProtection;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.WarmupRequestReader;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.resilience4j.Resilience4jProtection;
import io.github.modelregistry.tokenizers.HuggingFaceTokenizerStage;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.io.support.ResourcePatternUtils;

/**
 * Auto-configuration of a {@link ModelRegistry} serving the models configured under {@code model-registry.models.*}
 * and those its customisers add in code. The registry is made from a {@link ModelRegistry.Builder} bean to which
 * every {@link ModelRegistryCustomizer} is applied, and started by a lifecycle step before the web server serves.
 * Versions found in folders load through the {@link InferenceModelLoader} bean: ONNX Runtime's, when it is on the
 * class path. Without it the registry still serves models given in code (a test's stubs). Every bean backs off when
 * the application defines its own. Faces (the V2 REST API, gRPC, Actuator) are configured elsewhere.
 */
@AutoConfiguration(
		afterName = { "io.github.resilience4j.springboot.bulkhead.autoconfigure.BulkheadAutoConfiguration",
				"io.github.resilience4j.springboot.timelimiter.autoconfigure.TimeLimiterAutoConfiguration",
				"io.github.resilience4j.springboot.circuitbreaker.autoconfigure.CircuitBreakerAutoConfiguration" })
@EnableConfigurationProperties(ModelRegistryProperties.class)
public final class ModelRegistryAutoConfiguration {

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
		return new ResourceModelRepository(ResourcePatternUtils.getResourcePatternResolver(resourceLoader));
	}

	@Bean
	@Scope("prototype")
	@ConditionalOnMissingBean
	ModelRegistry.Builder modelRegistryBuilder(ModelRegistryProperties properties, ModelRepository repository,
			ObjectProvider<InferenceModelLoader> modelLoader, ObjectProvider<WarmupRequestReader> warmupRequestReader,
			ObjectProvider<InferenceProtection> inferenceProtection, ObjectProvider<TensorBufferPool> tensorBufferPool,
			ObjectProvider<ObservationRegistry> observationRegistry,
			ObjectProvider<InferenceObservationConvention> observationConvention,
			ListableBeanFactory beanFactory, Environment environment) {
		requireKnownModelKeys(environment);
		ModelRegistryProperties.Inference inference = properties.getInference();
		Integer shards = properties.getShards();
		Integer threads = inference.getThreads();
		ModelRegistry.Builder builder = ModelRegistry.builder();
		modelLoader.ifAvailable(builder::modelLoader);
		org.springframework.util.unit.DataSize memoryMax = properties.getMemory().getMax();
		if (memoryMax != null) {
			builder.memoryMax(memoryMax.toBytes());
		}
		observationRegistry.ifAvailable(builder::observationRegistry);
		builder.observationConvention(observationConvention.getIfUnique());
		ModelRegistryProperties.Batching batching = properties.getBatching();
		properties.getModels()
			.forEach((name, model) -> builder.batching(name, batching.resolve(name, model.getBatching())));
		properties.getModels().forEach((name, model) -> {
			if (model.getPipeline().isConfigured()) {
				builder.pipeline(name, pipeline(name, model.getPipeline(),
						beanFactory.getBeansOfType(PipelineStageFactory.class)));
			}
		});
		return builder.batching(batching.resolve("*", new ModelRegistryProperties.BatchingOverrides()))
			.tensorBufferPool(tensorBufferPool.getIfAvailable())
			.models(definitions(properties))
			.repository(repository)
			.basePath(properties.getBasePath())
			.defaultStrategy(properties.getStrategy())
			.shards((shards != null) ? shards : 0)
			.retryInterval(properties.getLoadRetryInterval())
			.listingInterval(properties.getListingInterval())
			.warmups(warmupRequestReader.getIfAvailable(() -> WarmupRequestReader.NONE))
			.protection(inferenceProtection.getIfAvailable(() -> InferenceProtection.NONE))
			.inferenceThreads((threads != null) ? threads : Runtime.getRuntime().availableProcessors())
			.maxQueuedInferences(inference.getMaxQueued())
			.callerRunsBelow(inference.getCallerRunsBelow());
	}

	/**
	 * A model's pipeline from its properties, each stage the {@link PipelineStageFactory} bean of that name.
	 * @throws IllegalStateException naming the known stages if a name is none of them
	 */
	static Pipeline pipeline(String model, ModelRegistryProperties.Pipeline properties,
			Map<String, PipelineStageFactory> stages) {
		Pipeline.Builder pipeline = Pipeline.builder();
		for (String name : properties.getPre()) {
			pipeline.pre(name, stage(model, name, stages));
		}
		for (String name : properties.getPost()) {
			pipeline.post(name, stage(model, name, stages));
		}
		properties.getOptions().forEach(pipeline::option);
		return pipeline.build();
	}

	private static PipelineStageFactory stage(String model, String name, Map<String, PipelineStageFactory> stages) {
		PipelineStageFactory stage = stages.get(name);
		if (stage == null) {
			throw new IllegalStateException("model-registry.models." + model + ".pipeline names stage '" + name
					+ "', which is no PipelineStageFactory bean; the stages are " + new java.util.TreeSet<>(stages.keySet())
					+ ((name.equals("huggingFaceTokenizer")) ? " (add model-registry-tokenizers for it)" : ""));
		}
		return stage;
	}

	/**
	 * Mean pooling with L2 normalisation, the post-stage of sentence-embedding pipelines ({@link MeanPooling}).
	 */
	@Bean
	@ConditionalOnMissingBean(name = "meanPooling")
	PipelineStageFactory meanPooling() {
		return MeanPooling.factory();
	}

	@Bean
	@ConditionalOnMissingBean
	ModelRegistry modelRegistry(ModelRegistry.Builder modelRegistryBuilder,
			ObjectProvider<ModelRegistryCustomizer> customizers) {
		customizers.orderedStream().forEach((customizer) -> customizer.customize(modelRegistryBuilder));
		return modelRegistryBuilder.build();
	}

	@Bean
	@ConditionalOnMissingBean
	ModelRegistryLifecycle modelRegistryLifecycle(ModelRegistry modelRegistry) {
		return new ModelRegistryLifecycle(modelRegistry);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HuggingFaceTokenizerStage.class, HuggingFaceTokenizer.class })
	static class TokenizersConfiguration {

		/**
		 * Hugging Face's tokenizers as a pipeline's pre-stage, reading the {@code tokenizer.json} of each version.
		 */
		@Bean
		@ConditionalOnMissingBean(name = "huggingFaceTokenizer")
		PipelineStageFactory huggingFaceTokenizer() {
			return HuggingFaceTokenizerStage.factory();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ OnnxModelLoader.class, OrtSession.class })
	@EnableConfigurationProperties(ModelRegistryOnnxProperties.class)
	static class OnnxConfiguration {

		/**
		 * ONNX Runtime's loader, unless the application defines its own {@link InferenceModelLoader}.
		 */
		@Bean
		@ConditionalOnMissingBean(InferenceModelLoader.class)
		OnnxModelLoader onnxModelLoader(ModelRegistryOnnxProperties onnx) {
			return new OnnxModelLoader(new OnnxSessionSettings(onnx.getIntraOpThreads(), onnx.getInterOpThreads(),
					onnx.getOptimizationLevel()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Resilience4jProtection.class, BulkheadRegistry.class, TimeLimiterRegistry.class,
			CircuitBreakerRegistry.class })
	static class Resilience4jConfiguration {

		@Bean
		@ConditionalOnMissingBean
		InferenceProtection resilience4jInferenceProtection(ModelRegistryProperties properties,
				ObjectProvider<BulkheadRegistry> bulkheads, ObjectProvider<TimeLimiterRegistry> timeLimiters,
				ObjectProvider<CircuitBreakerRegistry> circuitBreakers) {
			ModelRegistryProperties.Resilience resilience = properties.getResilience();
			return new Resilience4jProtection(
					resilience.getBulkhead().isEnabled() ? bulkheads.getIfAvailable() : null,
					resilience.getTimeLimiter().isEnabled() ? timeLimiters.getIfAvailable() : null,
					resilience.getCircuitBreaker().isEnabled() ? circuitBreakers.getIfAvailable() : null);
		}

	}

	/**
	 * Refuses a key under {@code model-registry.models.<name>.} that names no setting ({@code models.ranker.lod=lazy}),
	 * which would otherwise be ignored and leave the model with its defaults. The rest of {@code model-registry.*}
	 * is shared with the faces' properties, so only the per-model keys are checked; Spring Boot's failure analysis
	 * then names the key, its value and where it came from.
	 */
	static void requireKnownModelKeys(Environment environment) {
		Binder.get(environment).bind("model-registry.models",
				Bindable.mapOf(String.class, ModelRegistryProperties.Model.class),
				new NoUnboundElementsBindHandler(BindHandler.DEFAULT));
	}

	static List<ModelDefinition> definitions(ModelRegistryProperties properties) {
		List<ModelDefinition> definitions = new ArrayList<>();
		properties.getModels().forEach((name, model) -> {
			String path = model.getPath();
			String location = (path != null) ? path : ModelRepository.locationOf(properties.getBasePath(), name);
			definitions.add(new ModelDefinition(name, location, policy(name, model),
					properties.strategyOf(name), model.getLoad(),
					model.getPollInterval(), model.isWarmup(), model.isEvictable()));
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

	/**
	 * A servlet (Spring MVC) application without the MVC face: one INFO line naming its starter.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
	@ConditionalOnMissingClass("io.github.modelregistry.webmvc.autoconfigure.ModelRegistryWebMvcAutoConfiguration")
	static class MissingServletFaceConfiguration {

		@Bean
		static MissingWebFace modelRegistryMissingServletFace() {
			return new MissingWebFace("Spring MVC (servlet)", "model-registry-spring-boot-starter-webmvc");
		}

	}

	/**
	 * A reactive (WebFlux) application without the WebFlux face: one INFO line naming its starter.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
	@ConditionalOnMissingClass("io.github.modelregistry.webflux.autoconfigure.ModelRegistryWebAutoConfiguration")
	static class MissingReactiveFaceConfiguration {

		@Bean
		static MissingWebFace modelRegistryMissingReactiveFace() {
			return new MissingWebFace("Spring WebFlux (reactive)", "model-registry-spring-boot-starter");
		}

	}

}
