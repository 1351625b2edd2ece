package io.github.modelregistry.registry;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.modelregistry.resilience4j.Resilience4jProtection;
import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.Tensor;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * {@code callerRunsBelow}: an asynchronous inference runs on the caller's thread only when the setting is on, the
 * holder's reads never wait, and the model's recent runs were shorter than the bound; a model that grows slow goes
 * back to the pool by itself, and comes back once it is fast again. Real ONNX Runtime sessions; the thread each run
 * took is recorded by the model itself.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CallerRunsTests {

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 1, 4 }, 1, 2, 3, 4));

	@TempDir
	Path base;

	private final List<String> threads = new CopyOnWriteArrayList<>();

	/** How long each run takes on top of the model's own run: a slower model. */
	private volatile long extraNanos;

	private @Nullable ModelRegistry registry;

	private ModelRegistry registry(HolderStrategy strategy, @Nullable Duration bound,
			@Nullable InferenceProtection protection) {
		TestModels.write(this.base, "scorer", 1, TestModels.scorer(4, 0f));
		BehavingModels models = BehavingModels.onnx().on("scorer", (model, inputs) -> {
			this.threads.add(Thread.currentThread().getName());
			long extra = this.extraNanos;
			if (extra > 0) {
				// The model's own slowness, not a wait for anything
				LockSupport.parkNanos(extra);
			}
		});
		ModelRegistry.Builder builder = TestRegistries.builder()
			.model(new ModelDefinition("scorer", "file:" + this.base.resolve("scorer"), VersionPolicy.LATEST, strategy,
					LoadMode.EAGER, null, false))
			.modelLoader(models)
			.callerRunsBelow(bound);
		if (protection != null) {
			builder.protection(protection);
		}
		this.registry = TestRegistries.started(builder);
		return this.registry;
	}

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	/** Runs one asynchronous inference and returns the thread the model ran on. */
	private String inferAsync(ModelRegistry registry) {
		int before = this.threads.size();
		CompletableFuture<InferenceResult> answer = registry.inferAsync("scorer", null, FEATURES, List.of());
		assertThat(answer.join().outputs()).isNotEmpty();
		assertThat(this.threads).hasSize(before + 1);
		return this.threads.get(before);
	}

	private static boolean onThePool(String thread) {
		return thread.startsWith(InferencePool.THREAD_PREFIX + "-");
	}

	@Test
	void aFastModelRunsOnTheCallersThreadOnceItsFirstRunOnThePoolHasMeasuredIt() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU, Duration.ofSeconds(10), null);
		assertThat(inferAsync(registry)).matches(CallerRunsTests::onThePool);
		for (int i = 0; i < 20; i++) {
			CompletableFuture<InferenceResult> answer = registry.inferAsync("scorer", null, FEATURES, List.of());
			// Run before inferAsync returned, on this thread
			assertThat(answer).isCompleted();
			assertThat(this.threads.get(this.threads.size() - 1)).isEqualTo(Thread.currentThread().getName());
		}
	}

	@ParameterizedTest
	@EnumSource(names = { "RWLOCK", "MUTEX", "PER_REQUEST" })
	void aHolderWhoseReadsCanWaitAlwaysRunsOnThePool(HolderStrategy strategy) {
		ModelRegistry registry = registry(strategy, Duration.ofSeconds(10), null);
		for (int i = 0; i < 10; i++) {
			assertThat(inferAsync(registry)).matches(CallerRunsTests::onThePool);
		}
	}

	@Test
	void withoutTheSettingEveryAsynchronousInferenceRunsOnThePool() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU, null, null);
		for (int i = 0; i < 10; i++) {
			assertThat(inferAsync(registry)).matches(CallerRunsTests::onThePool);
		}
	}

	@Test
	void aModelThatGrowsSlowGoesBackToThePoolAndReturnsOnceFastAgain() {
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU, Duration.ofMillis(50), null);
		inferAsync(registry);
		assertThat(inferAsync(registry)).isEqualTo(Thread.currentThread().getName());
		// 200 ms a run: the moving average (weight 1/8) passes 50 ms after at most three slow runs here
		this.extraNanos = TimeUnit.MILLISECONDS.toNanos(200);
		int slowHere = 0;
		while (!onThePool(inferAsync(registry))) {
			slowHere++;
			assertThat(slowHere).as("slow runs on the caller's thread").isLessThanOrEqualTo(3);
		}
		this.extraNanos = 0;
		int fastOnPool = 0;
		while (onThePool(inferAsync(registry))) {
			fastOnPool++;
			assertThat(fastOnPool).as("fast runs on the pool before coming back").isLessThanOrEqualTo(30);
		}
	}

	@Test
	void theBoundMustBeShorterThanTheModelsTimeLimit() {
		InferenceProtection limited = new Resilience4jProtection(null,
				TimeLimiterRegistry.of(TimeLimiterConfig.custom().timeoutDuration(Duration.ofMillis(300)).build()),
				null);
		assertThatIllegalStateException()
			.isThrownBy(() -> registry(HolderStrategy.SHARDED_RCU, Duration.ofMillis(300), limited))
			.withMessageContaining("model-registry.inference.caller-runs-below (300 ms)")
			.withMessageContaining("time limit of model 'scorer' (300 ms)");
		ModelRegistry registry = registry(HolderStrategy.SHARDED_RCU, Duration.ofMillis(299), limited);
		inferAsync(registry);
		assertThat(inferAsync(registry)).isEqualTo(Thread.currentThread().getName());
	}

}
