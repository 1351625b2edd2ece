package io.github.modelregistry.helm;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ConfigMap's application.yaml: what the chart's values become in the app's own property names.
 */
class ConfigurationTests {

	@ParameterizedTest(name = "--set strategy={0}")
	@ValueSource(strings = { "sharded-rcu", "rwlock", "mutex", "static", "per-request" })
	void chosenStrategyReachesTheConfigMap(String strategy) {
		JsonNode config = Chart.renderWithSet(Map.of("strategy", strategy)).applicationYaml();
		assertThat(config.at("/model-registry/strategy").stringValue()).isEqualTo(strategy);
	}

	@Test
	void defaultStrategyIsTheAppsDefault() {
		assertThat(Chart.render().applicationYaml().at("/model-registry/strategy").stringValue())
			.isEqualTo(SampleAppConfiguration.at("/model-registry/strategy").stringValue());
	}

	@Test
	void modelsBecomeModelRegistryModels() {
		JsonNode config = Chart.render("""
				models:
				  restaurant-ranker:
				    load: background
				    version: 2
				    strategy: rwlock
				    warmup: false
				    latest: null
				  fraud-scorer:
				    load: lazy
				    latest: 2
				""").applicationYaml();
		JsonNode ranker = config.at("/model-registry/models/restaurant-ranker");
		assertThat(ranker.path("load").stringValue()).isEqualTo("background");
		assertThat(ranker.path("version").intValue()).isEqualTo(2);
		assertThat(ranker.path("strategy").stringValue()).isEqualTo("rwlock");
		assertThat(ranker.path("warmup").booleanValue()).isFalse();
		assertThat(ranker.has("poll-interval")).as("no polling on models baked into the image").isFalse();
		JsonNode scorer = config.at("/model-registry/models/fraud-scorer");
		assertThat(scorer.path("load").stringValue()).isEqualTo("lazy");
		assertThat(scorer.at("/version-policy/latest").intValue()).isEqualTo(2);
		assertThat(scorer.has("strategy")).as("inherits model-registry.strategy").isFalse();
	}

	@Test
	void theMemoryBudgetAndEvictableModelsReachTheConfigMap() {
		JsonNode config = Chart.render("""
				memory:
				  max: 768MB
				models:
				  ranker-eu:
				    load: lazy
				    evictable: true
				""").applicationYaml().path("model-registry");
		assertThat(config.at("/memory/max").stringValue()).isEqualTo("768MB");
		assertThat(config.at("/models/ranker-eu/evictable").booleanValue()).isTrue();
		assertThat(config.at("/models/restaurant-ranker/evictable").isMissingNode()).as("not evictable by default")
			.isTrue();
	}

	@Test
	void noMemoryBudgetByDefault() {
		assertThat(Chart.render().applicationYaml().at("/model-registry/memory").isMissingNode()).isTrue();
	}

	@Test
	void inferenceLimitsAndOnnxOptionsReachTheConfigMap() {
		JsonNode config = Chart.render("""
				web:
				  maxRequestSize: 4MB
				  maxElements: 100000
				inference:
				  threads: 3
				  maxQueued: 500
				onnx:
				  intraOpThreads: 2
				  optimizationLevel: basic
				""").applicationYaml().path("model-registry");
		assertThat(config.at("/web/max-request-size").stringValue()).isEqualTo("4MB");
		assertThat(config.at("/web/max-elements").intValue()).isEqualTo(100000);
		assertThat(config.at("/inference/threads").intValue()).isEqualTo(3);
		assertThat(config.at("/inference/max-queued").intValue()).isEqualTo(500);
		assertThat(config.at("/web/inference-threads").isMissingNode()).isTrue();
		assertThat(config.at("/onnx/intra-op-threads").intValue()).isEqualTo(2);
		assertThat(config.at("/onnx/inter-op-threads").intValue()).isEqualTo(1);
		assertThat(config.at("/onnx/optimization-level").stringValue()).isEqualTo("basic");
	}

	@Test
	void extraConfigIsMergedUnderTheChartsOwnSettings() {
		JsonNode config = Chart.render("""
				strategy: mutex
				extraConfig:
				  resilience4j:
				    bulkhead:
				      configs:
				        default:
				          max-concurrent-calls: 64
				  model-registry:
				    strategy: rwlock
				    load-retry-interval: 30s
				""").applicationYaml();
		assertThat(config.at("/resilience4j/bulkhead/configs/default/max-concurrent-calls").intValue()).isEqualTo(64);
		assertThat(config.at("/model-registry/load-retry-interval").stringValue()).isEqualTo("30s");
		assertThat(config.at("/model-registry/strategy").stringValue()).as("the chart's value wins").isEqualTo("mutex");
	}

	@Test
	void actuatorUserIsConfiguredButItsPasswordIsNot() {
		JsonNode config = Chart.renderWithSet(Map.of("auth.username", "ops")).applicationYaml();
		assertThat(config.at("/spring/security/user/name").stringValue()).isEqualTo("ops");
		assertThat(config.at("/spring/security/user").has("password")).isFalse();
	}

}
