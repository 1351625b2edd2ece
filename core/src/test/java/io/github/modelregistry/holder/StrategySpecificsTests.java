package io.github.modelregistry.holder;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static io.github.modelregistry.holder.ModelHolderContractTests.awaitQuietly;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * What each strategy promises beyond the shared contract.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StrategySpecificsTests {

	@Test
	void staticRefusesPublishAndReloadAndKeepsServingItsModel() {
		FakeModels models = new FakeModels();
		try (ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.STATIC)
			.loader(models)
			.build()) {
			assertThat(models.loads()).as("static loads when built").isEqualTo(1);
			FakeModel refused = models.next();
			assertThatExceptionOfType(PublishRefusedException.class).isThrownBy(() -> holder.publish(refused))
				.withMessageContaining("static")
				.satisfies((ex) -> assertThat(ex.getStrategy()).isEqualTo(HolderStrategy.STATIC));
			assertThat(refused.closes()).isEqualTo(1);
			assertThatExceptionOfType(PublishRefusedException.class).isThrownBy(holder::reload);
			assertThat(models.loads()).isEqualTo(1);
			assertThat(holder.read(FakeModel::use)).isEqualTo(1);
			assertThat(holder.state().generation()).isEqualTo(1);
			assertThat(holder.state().status()).isEqualTo(HolderState.Status.AVAILABLE);
		}
		models.assertEveryModelClosedExactlyOnce();
	}

	@Test
	void staticWithAnInitialModelNeverCallsItsLoader() {
		FakeModels models = new FakeModels();
		FakeModel initial = models.next();
		try (ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.STATIC)
			.initialModel(initial)
			.build()) {
			assertThat(holder.read(FakeModel::use)).isEqualTo(initial.version());
		}
		assertThat(models.loads()).isZero();
		assertThat(initial.closes()).isEqualTo(1);
	}

	@Test
	void perRequestLoadsAndClosesOneModelPerRead() {
		FakeModels models = new FakeModels();
		try (ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.PER_REQUEST)
			.loader(models)
			.build()) {
			for (int i = 1; i <= 100; i++) {
				assertThat(holder.read(FakeModel::use)).isEqualTo(i);
				assertThat(models.created().get(i - 1).closes()).isEqualTo(1);
			}
			assertThat(models.loads()).isEqualTo(100);
			assertThat(holder.state().loads()).isEqualTo(100);
			assertThat(holder.state().inFlightReads()).isZero();
			FakeModel refused = models.next();
			assertThatExceptionOfType(PublishRefusedException.class).isThrownBy(() -> holder.publish(refused))
				.withMessageContaining("per-request");
			assertThat(refused.closes()).isEqualTo(1);
			holder.reload(); // nothing held, nothing to do
			assertThat(models.loads()).isEqualTo(100);
		}
		models.assertEveryModelClosedExactlyOnce();
	}

	@Test
	void mutexNeverHasTwoReadersInsideAtOnce() throws Exception {
		FakeModels models = new FakeModels();
		FakeModel model = models.next();
		try (ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.MUTEX)
			.initialModel(model)
			.build()) {
			readConcurrently(holder, 8, 20_000);
		}
		assertThat(model.maxInside()).isEqualTo(1);
		models.assertEveryModelClosedExactlyOnce();
	}

	@Test
	void shardedRcuReadersAreInsideTheModelAtTheSameTime() throws Exception {
		// The contrast with mutex: each reader waits inside its read for the other to arrive, which can only
		// happen if both are inside at once (with mutex the first would wait out the timeout alone)
		FakeModels models = new FakeModels();
		try (ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.SHARDED_RCU)
			.initialModel(models.next())
			.build()) {
			CountDownLatch bothInside = new CountDownLatch(2);
			Queue<Boolean> met = new ConcurrentLinkedQueue<>();
			readConcurrently(holder, 2, 1, (model) -> {
				bothInside.countDown();
				try {
					met.add(bothInside.await(10, TimeUnit.SECONDS));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return model.use();
			});
			assertThat(met).containsExactly(true, true);
		}
		models.assertEveryModelClosedExactlyOnce();
	}

	@Test
	void shardedRcuReadersAndPublishersNeverWaitForABlockedReader() throws Exception {
		FakeModels models = new FakeModels();
		FakeModel first = models.next();
		Queue<String> retiredOn = new ConcurrentLinkedQueue<>();
		HolderListener listener = new HolderListener() {
			@Override
			public void retired(long generation, Duration drained) {
				retiredOn.add(generation + "@" + Thread.currentThread().getName());
			}
		};
		ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.SHARDED_RCU)
			.initialModel(first)
			.listener(listener)
			.build();
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread blocked = new Thread(() -> holder.read((model) -> {
			inside.countDown();
			awaitQuietly(release);
			return model.use();
		}), "blocked-reader");
		blocked.start();
		assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();

		// Other readers complete while one reader is stuck inside the same model
		readConcurrently(holder, 4, 10_000);
		assertThat(blocked.isAlive()).isTrue();

		// A publish returns without waiting for the stuck reader; the old model drains in the background
		FakeModel second = models.next();
		holder.publish(second);
		assertThat(holder.read(FakeModel::use)).isEqualTo(second.version());
		assertThat(first.isClosed()).isFalse();
		assertThat(holder.state().retiring()).isEqualTo(1);

		// The last reader out of the old model closes it
		release.countDown();
		blocked.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(first.closes()).isEqualTo(1);
		assertThat(retiredOn).containsExactly("1@blocked-reader");
		assertThat(holder.state().retiring()).isZero();
		holder.close();
		models.assertEveryModelClosedExactlyOnce();
	}

	@Test
	void rwlockPublishWaitsForInFlightReaders() throws Exception {
		// The contrast with sharded-rcu: the writer cannot swap until the reader leaves
		FakeModels models = new FakeModels();
		FakeModel first = models.next();
		ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.RWLOCK)
			.initialModel(first)
			.build();
		CountDownLatch inside = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		Thread reader = new Thread(() -> holder.read((model) -> {
			inside.countDown();
			awaitQuietly(release);
			return model.use();
		}), "slow-reader");
		reader.start();
		assertThat(inside.await(30, TimeUnit.SECONDS)).isTrue();
		FakeModel second = models.next();
		Thread publisher = new Thread(() -> holder.publish(second), "publisher");
		publisher.start();
		await().atMost(Duration.ofSeconds(30)).until(() -> publisher.getState() == Thread.State.WAITING);
		assertThat(first.isClosed()).isFalse();
		release.countDown();
		publisher.join(TimeUnit.SECONDS.toMillis(30));
		reader.join(TimeUnit.SECONDS.toMillis(30));
		assertThat(first.closes()).isEqualTo(1);
		assertThat(holder.read(FakeModel::use)).isEqualTo(second.version());
		holder.close();
		models.assertEveryModelClosedExactlyOnce();
	}

	@Test
	void replacedModelsCloseOnTheRetirementExecutorWhenOneIsGiven() {
		FakeModels models = new FakeModels();
		ExecutorService retirer = Executors.newSingleThreadExecutor((task) -> new Thread(task, "retirer"));
		AtomicReference<String> closedOn = new AtomicReference<>();
		try (ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.SHARDED_RCU)
			.initialModel(models.next())
			.retirementExecutor(retirer)
			.listener(new HolderListener() {
				@Override
				public void retired(long generation, Duration drained) {
					closedOn.compareAndSet(null, Thread.currentThread().getName());
				}
			})
			.build()) {
			holder.publish(models.next());
			await().atMost(Duration.ofSeconds(30)).until(() -> models.created().get(0).closes() == 1);
			assertThat(closedOn).hasValue("retirer");
		}
		finally {
			retirer.shutdown();
		}
		models.assertEveryModelClosedExactlyOnce();
	}

	@Test
	void holderWithoutLoaderOrModelReportsThatNothingWasPublished() {
		try (ModelHolder<FakeModel> holder = ModelHolder.<FakeModel>builder(HolderStrategy.SHARDED_RCU).build()) {
			assertThat(holder.state().status()).isEqualTo(HolderState.Status.EMPTY);
			assertThatExceptionOfType(ModelUnavailableException.class).isThrownBy(() -> holder.read(FakeModel::use))
				.withMessageContaining("No model has been published");
			assertThatIllegalStateException().isThrownBy(holder::reload).withMessageContaining("without a loader");
		}
	}

	@Test
	void builderRejectsWhatAStrategyCannotDo() {
		FakeModels models = new FakeModels();
		assertThatIllegalStateException()
			.isThrownBy(() -> ModelHolder.<FakeModel>builder(HolderStrategy.PER_REQUEST).build())
			.withMessageContaining("without a loader");
		assertThatIllegalStateException()
			.isThrownBy(() -> ModelHolder.<FakeModel>builder(HolderStrategy.PER_REQUEST)
				.loader(models)
				.initialModel(models.next())
				.build())
			.withMessageContaining("holds no model");
		assertThatIllegalStateException()
			.isThrownBy(() -> ModelHolder.<FakeModel>builder(HolderStrategy.STATIC).build())
			.withMessageContaining("initial model or a loader");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ModelHolder.<FakeModel>builder(HolderStrategy.SHARDED_RCU).shards(0));
	}

	@Test
	void strategiesAreNamedAsUsersWriteThem() {
		assertThat(HolderStrategy.values()).extracting(HolderStrategy::value)
			.containsExactly("sharded-rcu", "rwlock", "mutex", "static", "per-request");
		for (HolderStrategy strategy : HolderStrategy.values()) {
			assertThat(HolderStrategy.fromValue(strategy.value())).isSameAs(strategy);
		}
		assertThat(HolderStrategy.fromValue(" RWLock ")).isSameAs(HolderStrategy.RWLOCK);
		assertThatIllegalArgumentException().isThrownBy(() -> HolderStrategy.fromValue("spinlock"))
			.withMessage("Unknown model holder strategy 'spinlock'; valid strategies are "
					+ "sharded-rcu, rwlock, mutex, static, per-request");
	}

	@Test
	void consecutiveThreadIdsSpreadOverEveryShard() {
		for (int shards : new int[] { 1, 2, 4, 8, 16, 64 }) {
			int shift = 64 - Integer.numberOfTrailingZeros(shards);
			Set<Integer> used = new HashSet<>();
			for (long id = 1; id <= 4L * shards; id++) {
				int shard = StripedReaderCount.shardOf(id, shift);
				assertThat(shard).isBetween(0, shards - 1);
				used.add(shard);
			}
			assertThat(used).as("shards used by %d consecutive ids", 4 * shards).hasSizeGreaterThanOrEqualTo(
					Math.max(1, shards * 3 / 4));
		}
		// Pool workers are created one after another: two consecutive ids must not share one of two shards
		int sameShard = 0;
		for (long id = 1; id < 1000; id++) {
			if (StripedReaderCount.shardOf(id, 63) == StripedReaderCount.shardOf(id + 1, 63)) {
				sameShard++;
			}
		}
		assertThat(sameShard).as("consecutive ids sharing one of two shards, out of 999").isLessThan(250);
	}

	@Test
	void readerCountsAreStripedAndExact() {
		StripedReaderCount count = new StripedReaderCount(4);
		assertThat(count.isZero()).isTrue();
		int shard = count.increment();
		assertThat(count.sum()).isEqualTo(1);
		assertThat(count.isZero()).isFalse();
		count.decrement(shard);
		assertThat(count.isZero()).isTrue();
		assertThatIllegalArgumentException().isThrownBy(() -> new StripedReaderCount(3));
		assertThat(ModelHolderBuilder.defaultShards())
			.isEqualTo(Integer.highestOneBit(Runtime.getRuntime().availableProcessors() * 2 - 1));
	}

	private static void readConcurrently(ModelHolder<FakeModel> holder, int threads, int readsEach)
			throws Exception {
		readConcurrently(holder, threads, readsEach, FakeModel::use);
	}

	private static void readConcurrently(ModelHolder<FakeModel> holder, int threads, int readsEach,
			java.util.function.Function<FakeModel, Long> fn) throws Exception {
		CyclicBarrier start = new CyclicBarrier(threads);
		ExecutorService pool = Executors.newFixedThreadPool(threads);
		try {
			List<Future<?>> tasks = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				tasks.add(pool.submit(() -> {
					start.await();
					for (int i = 0; i < readsEach; i++) {
						holder.read(fn);
					}
					return null;
				}));
			}
			for (Future<?> task : tasks) {
				task.get(30, TimeUnit.SECONDS);
			}
		}
		finally {
			pool.shutdownNow();
		}
	}

}
