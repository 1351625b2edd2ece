package io.github.modelregistry.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import ai.onnxruntime.OrtSession;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.OnnxModelLoader;
import io.github.modelregistry.onnx.OnnxSessionSettings;
import io.github.modelregistry.onnx.OptimizationLevel;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.registry.DoublingModel;
import io.github.modelregistry.registry.InferenceModelLoader;
import io.github.modelregistry.registry.InferenceProtection;
import io.github.modelregistry.registry.LoadMode;
import io.github.modelregistry.registry.ModelDefinition;
import io.github.modelregistry.registry.ModelLoadFailedException;
import io.github.modelregistry.registry.Batching;
import io.github.modelregistry.registry.ModelRegistry;
import io.github.modelregistry.registry.ModelRegistryCustomizer;
import io.github.modelregistry.registry.ModelState;
import io.github.modelregistry.registry.TestRegistries;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ModelRegistryAutoConfiguration}.
 */
class ModelRegistryAutoConfigurationTests {

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ModelRegistryAutoConfiguration.class));

	@TempDir
	Path base;

	@BeforeEach
	void writeModels() {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		TestModels.write(this.base, "scorer", 2, TestModels.scorer(4, 1f));
		TestModels.write(this.base, "ranker", 7, TestModels.scorer(4, 2f));
	}

	private String basePath() {
		return "model-registry.base-path=file:" + this.base;
	}

	@Test
	void runShouldCreateRegistryServingConfiguredModelsWithTheDefaultStrategy() {
		this.contextRunner.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> {
				assertThat(context).hasSingleBean(ModelRegistry.class)
					.hasSingleBean(OnnxModelLoader.class)
					.hasSingleBean(ModelRepository.class);
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.names()).containsExactly("scorer");
				assertThat(registry.status("scorer").strategy()).isEqualTo(HolderStrategy.SHARDED_RCU.value());
				assertThat(registry.status("scorer").state()).isEqualTo(ModelState.AVAILABLE);
				assertThat(registry.status("scorer").version()).isEqualTo(2);
			});
	}

	@Test
	void runWithABasePathWithoutPrefixShouldReadTheFileSystem() {
		// Spring's resource loader alone would look an absolute path up on the class path and find nothing there
		this.contextRunner
			.withPropertyValues("model-registry.base-path=" + this.base, "model-registry.models.scorer.load=eager",
					"model-registry.models.ranker.path=" + this.base.resolve("ranker"),
					"model-registry.models.ranker.load=eager")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.status("scorer").version()).isEqualTo(2);
				assertThat(registry.status("ranker").version()).isEqualTo(7);
			});
	}

	@Test
	void closingTheContextClosesEveryVersionWithoutCallingItReplaced() {
		ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
			.getLogger(ModelRegistry.class);
		ListAppender<ILoggingEvent> logs = new ListAppender<>();
		logs.start();
		logger.addAppender(logs);
		try {
			this.contextRunner.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager",
					"model-registry.models.scorer.version-policy.latest=2")
				.run((context) -> assertThat(context.getBean(ModelRegistry.class).servedVersions("scorer"))
					.containsExactly(1L, 2L));
		}
		finally {
			logger.detachAppender(logs);
		}
		List<String> messages = logs.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
		assertThat(messages).noneMatch((message) -> message.contains("replaced") || message.contains("no longer wanted"));
		assertThat(messages).filteredOn((message) -> message.startsWith("Closed model 'scorer' version"))
			.hasSize(2);
	}

	@Test
	void runWithAMisspelledModelKeyShouldFailNamingIt() {
		this.contextRunner.withPropertyValues(basePath(), "model-registry.models.scorer.lod=lazy")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure())
					.hasRootCauseInstanceOf(org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException.class)
					.rootCause()
					.hasMessageContaining("model-registry.models.scorer.lod");
			});
	}

	@Test
	void runWithEveryDocumentedModelKeyShouldStart() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=lazy",
					"model-registry.models.scorer.path=file:" + this.base.resolve("scorer"),
					"model-registry.models.scorer.strategy=rwlock", "model-registry.models.scorer.warmup=false",
					"model-registry.models.scorer.evictable=true", "model-registry.models.scorer.poll-interval=1h",
					"model-registry.models.scorer.version-policy.latest=2",
					"model-registry.models.scorer.batching.enabled=false",
					"model-registry.models.ranker.version=7", "model-registry.models.ranker.load=eager",
					"model-registry.models.other.version-policy.specific=1,2", "model-registry.models.other.load=lazy",
					"model-registry.models.other.path=file:" + this.base.resolve("scorer"))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void runWithoutBatchingPropertiesShouldBatchNothing() {
		this.contextRunner.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> assertThat(context.getBean(ModelRegistry.class).batching("scorer")).isEmpty());
	}

	@Test
	void runWithBatchingShouldBatchEveryModelWithPerModelOverrides() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.batching.enabled=true",
					"model-registry.batching.max-batch-size=32", "model-registry.batching.max-queue-size=10",
					"model-registry.batching.queue-timeout=250ms", "model-registry.models.scorer.load=eager",
					"model-registry.models.scorer.batching.max-queue-delay=2ms",
					"model-registry.models.scorer.batching.preferred-batch-sizes=8,16",
					"model-registry.models.ranker.batching.enabled=false")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.batching("scorer")).contains(new Batching(32, Duration.ofMillis(2), List.of(8, 16),
						10, Duration.ofMillis(250)));
				assertThat(registry.batching("ranker")).isEmpty();
			});
	}

	@Test
	void runWithBatchingOutOfRangeShouldFailNamingTheModelAndTheProperty() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.batching.enabled=true",
					"model-registry.models.scorer.batching.preferred-batch-sizes=128")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Batching of model 'scorer' (model-registry.batching.*, "
						+ "model-registry.models.scorer.batching.*): preferred-batch-sizes must lie between 1 and "
						+ "max-batch-size (64), not 128"));
	}

	@Test
	void runWithMemoryMaxAndEvictableModelsShouldBoundTheRegistry() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.memory.max=256MB", "model-registry.models.scorer.load=lazy",
					"model-registry.models.scorer.evictable=true", "model-registry.models.ranker.load=eager")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.memoryMax()).isEqualTo(256L * 1024 * 1024);
				assertThat(registry.status("scorer").evictable()).isTrue();
				assertThat(registry.status("ranker").evictable()).isFalse();
				assertThat(registry.memoryBytes()).isEqualTo(registry.memoryBytes("ranker")).isPositive();
			});
	}

	@Test
	void runWithoutMemoryMaxShouldBeUnbounded() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ModelRegistry.class).memoryMax()).isNull());
	}

	@Test
	void runWithAnEvictableEagerModelShouldFailSayingOnlyLazyModelsAre() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager",
					"model-registry.models.scorer.evictable=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Model 'scorer' is evictable but loads eager: only lazy models are unloaded"));
	}

	@Test
	void runWithAnEvictableStaticModelShouldFailNamingTheStrategiesThatUnload() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=lazy",
					"model-registry.models.scorer.strategy=static", "model-registry.models.scorer.evictable=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("choose sharded-rcu, rwlock or mutex"));
	}

	@Test
	void runWithANonPositiveMemoryMaxShouldFail() {
		this.contextRunner.withPropertyValues("model-registry.memory.max=0B")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("model-registry.memory.max must be positive"));
	}

	@Test
	void runWithoutModelsShouldCreateAnEmptyRegistry() {
		this.contextRunner.run((context) -> assertThat(context.getBean(ModelRegistry.class).names()).isEmpty());
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(HolderStrategy.class)
	void runWithStrategyShouldHoldEveryModelWithIt(HolderStrategy strategy) {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.strategy=" + strategy.value(),
					"model-registry.models.scorer.load=eager", "model-registry.models.ranker.load=lazy")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.statuses()).extracting("strategy").containsOnly(strategy.value());
				assertThat(TestRegistries.holderState(registry, "scorer").strategy()).isEqualTo(strategy);
				assertThat(TestRegistries.holderState(registry, "ranker").strategy()).isEqualTo(strategy);
			});
	}

	@Test
	void runWithPerModelStrategyShouldOverrideTheDefault() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.strategy=rwlock",
					"model-registry.models.scorer.strategy=static", "model-registry.models.ranker.version=7")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.status("scorer").strategy()).isEqualTo(HolderStrategy.STATIC.value());
				assertThat(registry.status("ranker").strategy()).isEqualTo(HolderStrategy.RWLOCK.value());
				assertThat(registry.status("ranker").version()).isEqualTo(7);
			});
	}

	@Test
	void runWithPathVersionAndLazyLoadShouldUseThem() {
		this.contextRunner
			.withPropertyValues("model-registry.base-path=file:/does-not-exist",
					"model-registry.models.scorer.path=file:" + this.base.resolve("scorer"),
					"model-registry.models.scorer.version=1", "model-registry.models.scorer.load=lazy")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.status("scorer").load()).isEqualTo(LoadMode.LAZY);
				assertThat(registry.status("scorer").state()).isEqualTo(ModelState.EMPTY);
				assertThat(registry.metadata("scorer").versions()).containsExactly(1L);
				assertThat(registry.status("scorer").state()).isEqualTo(ModelState.AVAILABLE);
			});
	}

	@Test
	void runShouldApplyOnnxSettings() {
		this.contextRunner
			.withPropertyValues("model-registry.onnx.intra-op-threads=2", "model-registry.onnx.inter-op-threads=3",
					"model-registry.onnx.optimization-level=basic")
			.run((context) -> assertThat(context.getBean(OnnxModelLoader.class).settings())
				.isEqualTo(new OnnxSessionSettings(2, 3, OptimizationLevel.BASIC)));
	}

	@Test
	void runWithCustomizersShouldApplyThemInOrderToTheBuilder() {
		this.contextRunner.withUserConfiguration(Customizers.class)
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager",
					"model-registry.inference.threads=10")
			.run((context) -> {
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				// The properties' model, the one added in code, and the later customizer's setting over the earlier
				assertThat(registry.names()).containsExactly("scorer", "ranker");
				assertThat(registry.status("ranker").strategy()).isEqualTo("rwlock");
				assertThat(registry.status("ranker").version()).isEqualTo(7);
				assertThat(TestRegistries.inferenceThreads(registry)).isEqualTo(1000);
			});
	}

	@Test
	void runShouldStartTheRegistryWithTheContextAndCloseItWithTheContext() {
		ModelRegistry[] started = new ModelRegistry[1];
		this.contextRunner.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> {
				started[0] = context.getBean(ModelRegistry.class);
				assertThat(started[0].isRunning()).isTrue();
				assertThat(started[0].available("scorer")).isTrue();
			});
		assertThat(started[0].isRunning()).isFalse();
		assertThat(started[0].status("scorer").state()).isEqualTo(ModelState.CLOSED);
	}

	@Test
	void runWithoutResilience4jShouldServeUnprotected() {
		this.contextRunner.withClassLoader(new FilteredClassLoader("io.github.resilience4j"))
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(InferenceProtection.class);
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.inferAsync("scorer", null,
						List.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 1, 2, 3, 4)), List.of())
					.get(10, java.util.concurrent.TimeUnit.SECONDS)
					.version()).isEqualTo(2);
			});
	}

	@Test
	void runWithUserDefinedBeansShouldBackOff() {
		this.contextRunner.withUserConfiguration(UserBeans.class)
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> {
				assertThat(context).hasSingleBean(ModelRegistry.class).hasSingleBean(OnnxModelLoader.class);
				assertThat(context.getBean(ModelRegistry.class)).isSameAs(context.getBean("userRegistry"));
				assertThat(context.getBean(OnnxModelLoader.class)).isSameAs(context.getBean("userLoader"));
				assertThat(context.getBean(ModelRegistry.class).names()).isEmpty();
			});
	}

	@Test
	void runWithUserDefinedLoaderShouldUseItForTheRegistry() {
		this.contextRunner.withUserConfiguration(UserLoader.class)
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> {
				assertThat(context).hasSingleBean(OnnxModelLoader.class);
				assertThat(context.getBean(OnnxModelLoader.class).settings().optimizationLevel())
					.isEqualTo(OptimizationLevel.NONE);
				assertThat(context.getBean(ModelRegistry.class).status("scorer").version()).isEqualTo(2);
			});
	}

	@Test
	void runWithoutOnnxRuntimeShouldServeModelsGivenInCode() {
		DoublingModel model = new DoublingModel("doubler", 3);
		this.contextRunner.withClassLoader(new FilteredClassLoader(OrtSession.class))
			.withBean(ModelRegistryCustomizer.class, () -> (builder) -> builder.model(model))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(OnnxModelLoader.class)
					.doesNotHaveBean(InferenceModelLoader.class);
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.names()).containsExactly("doubler");
				assertThat(registry.infer("doubler", null, List.of(Tensor.ofFloats("x", new long[] { 1 }, 2f)),
						List.of()).outputs().get(0).floats()).containsExactly(4f);
			});
		assertThat(model.closes()).isEqualTo(1);
	}

	@Test
	void runWithoutOnnxRuntimeShouldFailToServeAModelFromAFolderSayingWhy() {
		this.contextRunner.withClassLoader(new FilteredClassLoader(OrtSession.class))
			.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("Model 'scorer' is loaded from file:")
				.hasMessageContaining("the registry has no model loader"));
	}

	@Test
	void runWhenStrategyIsUnknownShouldFailWithAnAnalysisListingTheValidOnes() {
		this.contextRunner.withPropertyValues(basePath(), "model-registry.strategy=spinlock").run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new InvalidStrategyFailureAnalyzer().analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription())
				.startsWith("Invalid model holder strategy 'spinlock' for property 'model-registry.strategy'");
			assertThat(analysis.getAction()).contains("sharded-rcu, rwlock, mutex, static, per-request");
		});
	}

	@Test
	void runWhenModelStrategyIsUnknownShouldNameTheModelProperty() {
		this.contextRunner.withPropertyValues(basePath(), "model-registry.models.scorer.strategy=optimistic")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().isInstanceOf(IllegalArgumentException.class);
				FailureAnalysis analysis = new InvalidStrategyFailureAnalyzer()
					.analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("'optimistic'")
					.contains("'model-registry.models.scorer.strategy'");
			});
	}

	@Test
	void analyzerIgnoresBindFailuresOfOtherProperties() {
		this.contextRunner.withPropertyValues("model-registry.onnx.intra-op-threads=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasRootCauseMessage(
					"model-registry.onnx.intra-op-threads must be 0 or more, was -1");
			assertThat(new InvalidStrategyFailureAnalyzer().analyze(context.getStartupFailure())).isNull();
		});
	}

	@Test
	void runWhenEagerModelPathIsUnreadableShouldFailWithAnAnalysisNamingTheProperty() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.models.scorer.path=file:" + this.base.resolve("nothing"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(
						io.github.modelregistry.repository.ModelVersionNotFoundException.class);
				FailureAnalysis analysis = new ModelLoadFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Model 'scorer' could not be loaded from 'file:")
					.contains("the location does not exist")
					.contains("'model-registry.models.scorer.path'");
				assertThat(analysis.getAction()).contains("<version>/model.onnx")
					.contains("model-registry.models.scorer.load=lazy");
			});
	}

	@Test
	void runWhenEagerModelFileIsCorruptShouldSayTheFileIsWrongNotTheLayout() throws Exception {
		java.nio.file.Files.createDirectories(this.base.resolve("corrupt/1"));
		java.nio.file.Files.write(this.base.resolve("corrupt/1/model.onnx"), new byte[] { 1, 2, 3 });
		this.contextRunner.withPropertyValues(basePath(), "model-registry.models.corrupt.load=eager")
			.run((context) -> {
				assertThat(context).hasFailed();
				FailureAnalysis analysis = new ModelLoadFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getDescription()).contains("Model 'corrupt' could not be loaded")
					.contains("Protobuf parsing failed");
				assertThat(analysis.getAction()).contains("was found but could not be loaded")
					.doesNotContain("laid out as")
					.contains("model-registry.models.corrupt.load=lazy");
			});
	}

	@Test
	void runWhenLazyModelPathIsUnreadableShouldStartAndReportTheModelFailed() {
		this.contextRunner
			.withPropertyValues(basePath(), "model-registry.models.scorer.path=file:" + this.base.resolve("nothing"),
					"model-registry.models.scorer.load=lazy")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				ModelRegistry registry = context.getBean(ModelRegistry.class);
				assertThat(registry.status("scorer").state()).isEqualTo(ModelState.FAILED);
				assertThat(registry.status("scorer").lastError()).contains("No version of model 'scorer' found");
			});
	}

	@Test
	void runWhenEagerModelFileIsCorruptShouldFail() {
		byte[] model = TestModels.scorer(4, 0f);
		TestModels.write(this.base, "scorer", 3, java.util.Arrays.copyOf(model, 10));
		this.contextRunner.withPropertyValues(basePath(), "model-registry.models.scorer.load=eager")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasRootCauseInstanceOf(ai.onnxruntime.OrtException.class);
				FailureAnalysis analysis = new ModelLoadFailureAnalyzer().analyze(context.getStartupFailure());
				assertThat(analysis.getCause()).isInstanceOf(ModelLoadFailedException.class);
				assertThat(analysis.getDescription()).contains("Model 'scorer' could not be loaded from")
					.contains("/scorer");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class UserBeans {

		@Bean
		OnnxModelLoader userLoader() {
			return new OnnxModelLoader(new OnnxSessionSettings(1, 1, OptimizationLevel.NONE));
		}

		@Bean
		ModelRegistry userRegistry(OnnxModelLoader loader) {
			return ModelRegistry.builder().modelLoader(loader).build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		@Bean
		@Order(1)
		ModelRegistryCustomizer addRanker() {
			return (builder) -> builder.model(new ModelDefinition("ranker",
					builder.models().get(0).location().replace("/scorer", "/ranker"), null,
					HolderStrategy.RWLOCK, LoadMode.EAGER)).inferenceThreads(100);
		}

		@Bean
		@Order(2)
		ModelRegistryCustomizer moreThreads() {
			return (builder) -> builder.inferenceThreads(1000);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserLoader {

		@Bean
		OnnxModelLoader userLoader() {
			return new OnnxModelLoader(new OnnxSessionSettings(1, 1, OptimizationLevel.NONE));
		}

	}

}
