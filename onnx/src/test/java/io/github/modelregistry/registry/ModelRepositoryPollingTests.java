package io.github.modelregistry.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.onnx.TestModels;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.protocol.V2WarmupRequestReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Rolling versions out by dropping folders into the repository, on real folders and real ONNX files. Most tests
 * drive the poller one scan at a time ({@link ModelRegistry#poll(String)}) so that what a scan sees is exact; the
 * first runs the real scheduled poller under load.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class ModelRepositoryPollingTests {

	private static final List<Tensor> FEATURES = List
		.of(Tensor.ofFloats("features", new long[] { 2, 4 }, 4, 3, 2, 1, 0, 0, 0, 0));

	private static final Duration MANUAL = Duration.ofHours(1);

	@TempDir
	Path base;

	private ModelRegistry registry;

	@AfterEach
	void close() {
		if (this.registry != null) {
			this.registry.close();
		}
	}

	private ModelRegistry registry(VersionPolicy policy, Duration pollInterval) {
		ModelDefinition definition = new ModelDefinition("scorer", "file:" + this.base.resolve("scorer"), policy,
				HolderStrategy.SHARDED_RCU, LoadMode.EAGER, pollInterval, true);
		this.registry = TestRegistries.started(TestRegistries.builder()
			.model(definition)
			.retryInterval(Duration.ofSeconds(1))
			.warmups(new V2WarmupRequestReader()));
		return this.registry;
	}

	private void version(long version) {
		TestModels.write(this.base, "scorer", version, TestModels.scorer(4, version));
	}

	private long served() {
		return this.registry.infer("scorer", null, FEATURES, List.of()).version();
	}

	private void scans(int count) {
		for (int i = 0; i < count; i++) {
			this.registry.poll("scorer");
		}
	}

	@Test
	void aNewVersionCopiedInWhileEightClientsInferServesWithinTwoPollsAndNoRequestFails() throws Exception {
		version(1);
		Duration interval = Duration.ofMillis(200);
		ModelRegistry registry = registry(VersionPolicy.LATEST, interval);
		CyclicBarrier start = new CyclicBarrier(9);
		AtomicBoolean done = new AtomicBoolean();
		Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
		ExecutorService pool = Executors.newFixedThreadPool(8);
		List<Future<Long>> clients = new ArrayList<>();
		for (int i = 0; i < 8; i++) {
			clients.add(pool.submit(() -> {
				start.await();
				long count = 0;
				do {
					try {
						assertThat(registry.infer("scorer", null, FEATURES, List.of()).version()).isIn(1L, 2L);
						count++;
					}
					catch (Throwable ex) {
						failures.add(ex);
					}
				}
				while (!done.get());
				return count;
			}));
		}
		try {
			start.await();
			// Published atomically, as the README recommends: written next to the repository, then renamed in
			Path staging = Files.createDirectories(this.base.resolve("staging"));
			TestModels.write(staging, "next", 2, TestModels.scorer(4, 2f));
			long copied = System.nanoTime();
			Files.move(staging.resolve("next/2"), this.base.resolve("scorer/2"));
			await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10)).until(() -> served() == 2);
			long switched = System.nanoTime();
			// The replaced version closes once its readers drain
			await().atMost(Duration.ofSeconds(10))
				.until(() -> TestRegistries.holderState(registry, "scorer").retired() >= 1);
			done.set(true);
			long inferences = 0;
			for (Future<Long> client : clients) {
				inferences += client.get(30, TimeUnit.SECONDS);
			}
			assertThat(failures).isEmpty();
			System.out.printf("Version 2 served %d ms after it was moved in (poll interval %d ms), %d inferences, "
					+ "none failed%n", (switched - copied) / 1_000_000, interval.toMillis(), inferences);
		}
		finally {
			done.set(true);
			pool.shutdownNow();
		}
	}

	@Test
	void aFolderStillBeingWrittenIsNotLoadedUntilItStopsChanging() throws Exception {
		version(1);
		registry(VersionPolicy.LATEST, MANUAL);
		byte[] model = TestModels.scorer(4, 2f);
		Path file = Files.createDirectories(this.base.resolve("scorer/2")).resolve("model.onnx");
		int third = model.length / 3;
		Files.write(file, Arrays.copyOfRange(model, 0, third));
		scans(1);
		Files.write(file, Arrays.copyOfRange(model, third, 2 * third), StandardOpenOption.APPEND);
		scans(1);
		Files.write(file, Arrays.copyOfRange(model, 2 * third, model.length), StandardOpenOption.APPEND);
		scans(1);
		// Every scan saw a different file: nothing was loaded, nothing failed
		assertThat(served()).isEqualTo(1);
		assertThat(this.registry.status("scorer").lastError()).isNull();
		scans(1);
		assertThat(served()).isEqualTo(2);
		assertThat(this.registry.status("scorer").lastError()).isNull();
	}

	@Test
	void latestTwoServesTwoVersionsAndBothVersionedRoutesAnswer() {
		version(1);
		version(2);
		ModelRegistry registry = registry(VersionPolicy.latest(2), MANUAL);
		scans(1);
		assertThat(registry.servedVersions("scorer")).containsExactly(1L, 2L);
		assertThat(served()).isEqualTo(2);
		assertThat(registry.infer("scorer", 1L, FEATURES, List.of()).version()).isEqualTo(1);
		assertThat(registry.infer("scorer", 2L, FEATURES, List.of()).version()).isEqualTo(2);
		assertThat(registry.metadata("scorer").versions()).containsExactly(1L, 2L);
		assertThat(registry.metadata("scorer", 1).inputs()).hasSize(1);

		version(3);
		scans(2);
		assertThat(registry.servedVersions("scorer")).containsExactly(2L, 3L);
		assertThat(served()).isEqualTo(3);
		assertThat(registry.infer("scorer", 2L, FEATURES, List.of()).version()).isEqualTo(2);
		assertThatExceptionOfType(ModelNotFoundException.class)
			.isThrownBy(() -> registry.infer("scorer", 1L, FEATURES, List.of()))
			.withMessage("Version 1 of model 'scorer' is not served; served: [2, 3]");
		assertThat(registry.status("scorer").policy()).isEqualTo("latest 2");
	}

	@Test
	void aModelThatIsNotPolledServesEveryVersionItsPolicyWantsFromTheStart() {
		version(1);
		version(2);
		version(3);
		this.registry = TestRegistries.started(TestRegistries.builder()
			.model(new ModelDefinition("scorer", "file:" + this.base.resolve("scorer"), VersionPolicy.latest(2),
					HolderStrategy.SHARDED_RCU, LoadMode.EAGER, null, true)));
		assertThat(this.registry.servedVersions("scorer")).containsExactly(2L, 3L);
		assertThat(this.registry.infer("scorer", 2L, FEATURES, List.of()).version()).isEqualTo(2);
		assertThat(this.registry.infer("scorer", null, FEATURES, List.of()).version()).isEqualTo(3);
	}

	@Test
	void aBackgroundModelServesTheVersionsBesideItsPrimaryOnceLoaded() {
		version(1);
		version(2);
		this.registry = TestRegistries.started(TestRegistries.builder()
			.model(new ModelDefinition("scorer", "file:" + this.base.resolve("scorer"),
					VersionPolicy.specific(List.of(1L, 2L)), HolderStrategy.RWLOCK, LoadMode.BACKGROUND, null, true)));
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.registry.servedVersions("scorer")).containsExactly(1L, 2L));
		assertThat(this.registry.infer("scorer", 1L, FEATURES, List.of()).version()).isEqualTo(1);
	}

	@Test
	void aLazyModelServesTheVersionsBesideItsPrimarySoonAfterItsFirstRequest() {
		version(1);
		version(2);
		this.registry = TestRegistries.started(TestRegistries.builder()
			.model(new ModelDefinition("scorer", "file:" + this.base.resolve("scorer"), VersionPolicy.latest(2),
					HolderStrategy.SHARDED_RCU, LoadMode.LAZY, null, true)));
		assertThat(this.registry.servedVersions("scorer")).as("nothing loads before the first request").isEmpty();
		assertThat(served()).isEqualTo(2);
		// Off the request's thread, on the registry's loader
		await().atMost(Duration.ofSeconds(30))
			.untilAsserted(() -> assertThat(this.registry.servedVersions("scorer")).containsExactly(1L, 2L));
		assertThat(this.registry.infer("scorer", 1L, FEATURES, List.of()).version()).isEqualTo(1);
	}

	@Test
	void specificPinsTheVersionsWhateverElseAppears() {
		version(1);
		version(2);
		version(3);
		ModelRegistry registry = registry(VersionPolicy.specific(List.of(1L, 3L)), MANUAL);
		scans(1);
		assertThat(registry.servedVersions("scorer")).containsExactly(1L, 3L);
		version(4);
		scans(2);
		assertThat(registry.servedVersions("scorer")).containsExactly(1L, 3L);
		assertThat(served()).isEqualTo(3);
	}

	@Test
	void touchingTheServedVersionNeverRollsBackAndReloadsItOnceStable() throws Exception {
		version(1);
		version(2);
		ModelRegistry registry = registry(VersionPolicy.LATEST, MANUAL);
		assertThat(served()).isEqualTo(2);
		long publishes = TestRegistries.holderState(registry, "scorer").publishes();
		Path file = this.base.resolve("scorer/2/model.onnx");
		// Touched on every scan for a while: the file keeps changing, version 2 keeps serving as loaded
		for (int i = 1; i <= 4; i++) {
			Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 1000L * i));
			scans(1);
			assertThat(served()).isEqualTo(2);
		}
		assertThat(TestRegistries.holderState(registry, "scorer").publishes()).isEqualTo(publishes);
		// Stable again: loaded once more, from the file as it is now
		scans(2);
		assertThat(served()).isEqualTo(2);
		assertThat(TestRegistries.holderState(registry, "scorer").publishes()).isEqualTo(publishes + 1);
		scans(3);
		assertThat(TestRegistries.holderState(registry, "scorer").publishes()).isEqualTo(publishes + 1);
	}

	@Test
	void theServedVersionOverwrittenWithABrokenFileKeepsServingAsLoaded() throws Exception {
		version(1);
		version(2);
		ModelRegistry registry = registry(VersionPolicy.LATEST, MANUAL);
		Path file = this.base.resolve("scorer/2/model.onnx");
		byte[] model = Files.readAllBytes(file);
		Files.write(file, Arrays.copyOf(model, model.length / 2));
		Files.setLastModifiedTime(file, FileTime.fromMillis(System.currentTimeMillis() + 5000));
		scans(4);
		assertThat(served()).isEqualTo(2);
		assertThat(registry.status("scorer").lastError()).contains("scorer/2/model.onnx");
		long failures = TestRegistries.holderState(registry, "scorer").loadFailures();
		scans(3);
		assertThat(TestRegistries.holderState(registry, "scorer").loadFailures()).isEqualTo(failures);
		assertThat(served()).isEqualTo(2);
	}

	@Test
	void aCorruptNewVersionIsNotPublishedAndIsOnceItIsFixed() throws Exception {
		version(1);
		ModelRegistry registry = registry(VersionPolicy.LATEST, MANUAL);
		byte[] model = TestModels.scorer(4, 2f);
		Path file = Files.createDirectories(this.base.resolve("scorer/2")).resolve("model.onnx");
		Files.write(file, Arrays.copyOf(model, model.length / 2));
		scans(2);
		assertThat(served()).isEqualTo(1);
		assertThat(registry.status("scorer").lastError()).contains("scorer/2/model.onnx");
		long failures = TestRegistries.holderState(registry, "scorer").loadFailures();
		scans(3);
		// The same broken file is not tried again on every scan
		assertThat(TestRegistries.holderState(registry, "scorer").loadFailures()).isEqualTo(failures);
		assertThat(served()).isEqualTo(1);

		Files.write(file, model);
		Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
		scans(2);
		assertThat(served()).isEqualTo(2);
	}

	@Test
	void warmUpRequestsRunBeforeAVersionServes() throws Exception {
		version(1);
		ModelRegistry registry = registry(VersionPolicy.LATEST, MANUAL);
		// Without warm-up files, a generated request warms the version up
		assertThat(registry.status("scorer").lastWarmup()).satisfies((warmup) -> {
			assertThat(warmup.version()).isEqualTo(1);
			assertThat(warmup.requests()).isEqualTo(1);
			assertThat(warmup.fromFiles()).isFalse();
		});
		version(2);
		Path warmup = Files.createDirectories(this.base.resolve("scorer/2/warmup"));
		Files.writeString(warmup.resolve("a.json"), """
				{"inputs": [{"name": "features", "shape": [1, 4], "datatype": "FP32", "data": [1, 2, 3, 4]}]}""");
		Files.writeString(warmup.resolve("b.json"), """
				{"inputs": [{"name": "features", "shape": [10, 4], "datatype": "FP32", "data": [%s]}]}"""
			.formatted(String.join(",", java.util.Collections.nCopies(40, "0.5"))));
		scans(2);
		assertThat(served()).isEqualTo(2);
		assertThat(registry.status("scorer").lastWarmup()).satisfies((ran) -> {
			assertThat(ran.version()).isEqualTo(2);
			assertThat(ran.requests()).isEqualTo(2);
			assertThat(ran.fromFiles()).isTrue();
		});

		// A version whose warm-up fails does not serve
		version(3);
		Path broken = Files.createDirectories(this.base.resolve("scorer/3/warmup"));
		Files.writeString(broken.resolve("bad.json"), """
				{"inputs": [{"name": "features", "shape": [1, 3], "datatype": "FP32", "data": [1, 2, 3]}]}""");
		scans(2);
		assertThat(served()).isEqualTo(2);
		assertThat(registry.status("scorer").lastError()).contains("Warm-up of model 'scorer' version 3 failed on "
				+ "warmup/bad.json");
	}

	@Test
	void deletingAVersionFolderRetiresIt() throws Exception {
		version(1);
		version(2);
		ModelRegistry registry = registry(VersionPolicy.latest(2), MANUAL);
		scans(1);
		assertThat(registry.servedVersions("scorer")).containsExactly(1L, 2L);
		delete(this.base.resolve("scorer/1"));
		scans(1);
		assertThat(registry.servedVersions("scorer")).containsExactly(2L);

		// Deleting the highest version falls back to the one below, as TensorFlow Serving does
		version(1);
		scans(2);
		delete(this.base.resolve("scorer/2"));
		scans(1);
		assertThat(served()).isEqualTo(1);
		assertThat(registry.servedVersions("scorer")).containsExactly(1L);
	}

	@Test
	void aRepositoryThatLooksEmptyDoesNotUnloadTheModel() throws Exception {
		version(1);
		ModelRegistry registry = registry(VersionPolicy.LATEST, MANUAL);
		delete(this.base.resolve("scorer"));
		scans(3);
		assertThat(served()).isEqualTo(1);
		assertThat(registry.servedVersions("scorer")).containsExactly(1L);
	}

	private static void delete(Path folder) throws IOException {
		try (Stream<Path> files = Files.walk(folder)) {
			files.sorted(Comparator.reverseOrder()).forEach((path) -> path.toFile().delete());
		}
	}

}
