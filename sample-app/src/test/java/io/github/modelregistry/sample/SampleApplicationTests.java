package io.github.modelregistry.sample;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.registry.ModelRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Starts the sample application as its users do, with command-line arguments.
 */
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

	private static ConfigurableApplicationContext start(String... args) {
		String[] withRandomPort = java.util.Arrays.copyOf(args, args.length + 1);
		withRandomPort[args.length] = "--server.port=0";
		return SpringApplication.run(SampleApplication.class, withRandomPort);
	}

	@ParameterizedTest(name = "{0}")
	@EnumSource(HolderStrategy.class)
	void theStrategyIsChosenOnTheCommandLineAndLogged(HolderStrategy strategy, CapturedOutput output) {
		try (ConfigurableApplicationContext context = start("--model-registry.strategy=" + strategy.value())) {
			ModelRegistry registry = context.getBean(ModelRegistry.class);
			assertThat(registry.status(RecommendationService.MODEL).strategy()).isEqualTo(strategy.value());
			assertThat(output).contains("Model registry serves 'restaurant-ranker' (" + strategy.value()
					+ ", eager, version 2)");
			var recommendations = context.getBean(RecommendationService.class)
				.rank(Diners.vegetarianWhoLovesIndian(), Diners.tenCandidates(), Diners.dinner())
				.join();
			assertThat(recommendations.modelVersion()).isEqualTo(2);
			assertThat(recommendations.restaurants()).hasSize(10);
			assertThat(recommendations.restaurants()).isSortedAccordingTo(
					java.util.Comparator.comparingDouble(ScoredRestaurant::score).reversed());
		}
	}

	@Test
	void anUnknownStrategyStopsTheStartWithAnExplanation(CapturedOutput output) {
		assertThatException().isThrownBy(() -> start("--model-registry.strategy=spinlock"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Invalid model holder strategy 'spinlock' for property 'model-registry.strategy'")
			.contains("sharded-rcu, rwlock, mutex, static, per-request");
	}

	@Test
	void anUnreadableModelPathStopsTheStartWithAnExplanation(CapturedOutput output) {
		assertThatException()
			.isThrownBy(() -> start("--model-registry.models.restaurant-ranker.path=file:/no/such/folder"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Model 'restaurant-ranker' could not be loaded from 'file:/no/such/folder'")
			.contains("'model-registry.models.restaurant-ranker.path'")
			.contains("model-registry.models.restaurant-ranker.load=lazy");
	}

	@Test
	void aLazyModelWithAnUnreadablePathLetsTheApplicationStart() {
		try (ConfigurableApplicationContext context = start(
				"--model-registry.models.restaurant-ranker.path=file:/no/such/folder",
				"--model-registry.models.restaurant-ranker.load=lazy")) {
			assertThat(context.getBean(ModelRegistry.class).status(RecommendationService.MODEL).state().name())
				.isEqualTo("FAILED");
		}
	}

}
