package io.github.modelregistry.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The pool's contract: direct native-order buffers of the size asked for, reuse, a hard bound on the memory it
 * owns, and never one buffer in two open leases. The concurrent test writes a pattern unique to each lease into
 * its buffer and checks it is intact before returning it: a buffer handed out twice would be overwritten.
 * <p>
 * Run alone: {@code ./mvnw -pl autoconfigure test -Dtest=TensorBufferPoolTests}.
 */
class TensorBufferPoolTests {

	@Test
	void acquireReturnsADirectNativeOrderBufferOfTheSizeAskedFor() {
		TensorBufferPool pool = new TensorBufferPool(1 << 20, 1 << 16);
		try (TensorBufferPool.Lease lease = pool.acquire(1600)) {
			ByteBuffer buffer = lease.buffer();
			assertThat(buffer.isDirect()).isTrue();
			assertThat(buffer.order()).isEqualTo(ByteOrder.nativeOrder());
			assertThat(buffer.position()).isZero();
			assertThat(buffer.remaining()).isEqualTo(1600);
			// Typed views keep the order: that is what lets ONNX Runtime read them in place
			assertThat(buffer.asFloatBuffer().order()).isEqualTo(ByteOrder.nativeOrder());
			assertThat(buffer.asFloatBuffer().isDirect()).isTrue();
			assertThat(lease.pooled()).isTrue();
			// 1600 bytes take the 2 KiB class
			assertThat(pool.bytesHeld()).isEqualTo(2048);
		}
		assertThat(pool.openLeases()).isZero();
		assertThat(pool.bytesIdle()).isEqualTo(2048);
	}

	@Test
	void aReturnedBufferIsReusedForAnySizeOfItsClass() {
		TensorBufferPool pool = new TensorBufferPool(1 << 20, 1 << 16);
		pool.acquire(1100).close();
		try (TensorBufferPool.Lease lease = pool.acquire(2000)) {
			assertThat(lease.buffer().remaining()).isEqualTo(2000);
		}
		assertThat(pool.misses()).isEqualTo(1);
		assertThat(pool.hits()).isEqualTo(1);
		assertThat(pool.bytesHeld()).isEqualTo(2048);
	}

	@Test
	void eachLeaseStartsAtZeroWhateverTheLastOneDidWithThePosition() {
		TensorBufferPool pool = new TensorBufferPool(1 << 20, 1 << 16);
		try (TensorBufferPool.Lease lease = pool.acquire(512)) {
			lease.buffer().putLong(42L).limit(100);
		}
		try (TensorBufferPool.Lease lease = pool.acquire(512)) {
			assertThat(lease.buffer().position()).isZero();
			assertThat(lease.buffer().remaining()).isEqualTo(512);
			assertThat(lease.buffer().getLong(0)).as("content is left as it was, not cleared").isEqualTo(42L);
		}
	}

	@Test
	void closingALeaseTwiceReturnsItsBufferOnce() {
		TensorBufferPool pool = new TensorBufferPool(1 << 20, 1 << 16);
		TensorBufferPool.Lease lease = pool.acquire(300);
		lease.close();
		lease.close();
		assertThat(pool.bytesIdle()).isEqualTo(512);
		assertThat(pool.openLeases()).isZero();
		try (TensorBufferPool.Lease first = pool.acquire(300); TensorBufferPool.Lease second = pool.acquire(300)) {
			// Had the double close pushed the buffer twice, both leases would share it
			first.buffer().putInt(0, 1);
			second.buffer().putInt(0, 2);
			assertThat(first.buffer().getInt(0)).isEqualTo(1);
			assertThat(pool.misses()).isEqualTo(2);
		}
	}

	@Test
	void neverOwnsMoreThanItsBoundAndServesTheRestUnpooled() {
		TensorBufferPool pool = new TensorBufferPool(10_000, 4096);
		List<TensorBufferPool.Lease> leases = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			leases.add(pool.acquire(4000));
			assertThat(pool.bytesHeld()).isLessThanOrEqualTo(10_000);
		}
		// Two 4 KiB buffers fit the bound; the other eight are unpooled and never come back
		assertThat(leases).filteredOn(TensorBufferPool.Lease::pooled).hasSize(2);
		assertThat(leases).allSatisfy((lease) -> assertThat(lease.buffer().isDirect()).isTrue());
		assertThat(pool.openLeases()).isEqualTo(10);
		leases.forEach(TensorBufferPool.Lease::close);
		assertThat(pool.openLeases()).isZero();
		assertThat(pool.bytesHeld()).isEqualTo(8192);
		assertThat(pool.bytesIdle()).isEqualTo(8192);
	}

	@Test
	void dropsIdleBuffersOfOtherSizesToMakeRoom() {
		TensorBufferPool pool = new TensorBufferPool(8192, 8192);
		pool.acquire(8000).close();
		assertThat(pool.bytesIdle()).isEqualTo(8192);
		// The workload changed: a small size now, with the bound taken by an idle 8 KiB buffer
		try (TensorBufferPool.Lease lease = pool.acquire(1000)) {
			assertThat(lease.pooled()).isTrue();
			assertThat(pool.bytesHeld()).isEqualTo(1024);
			assertThat(pool.bytesIdle()).isZero();
		}
	}

	@Test
	void aTensorLargerThanTheLargestBufferIsServedUnpooled() {
		TensorBufferPool pool = new TensorBufferPool(1 << 20, 1000);
		assertThat(pool.maxBufferBytes()).isEqualTo(1024);
		try (TensorBufferPool.Lease lease = pool.acquire(5000)) {
			assertThat(lease.pooled()).isFalse();
			assertThat(lease.buffer().remaining()).isEqualTo(5000);
			assertThat(lease.buffer().order()).isEqualTo(ByteOrder.nativeOrder());
		}
		assertThat(pool.bytesHeld()).isZero();
		assertThat(pool.misses()).isEqualTo(1);
	}

	@Test
	void aZeroBoundPoolServesEverythingUnpooled() {
		TensorBufferPool pool = new TensorBufferPool(0, 1024);
		try (TensorBufferPool.Lease lease = pool.acquire(100)) {
			assertThat(lease.pooled()).isFalse();
		}
		assertThat(pool.bytesHeld()).isZero();
	}

	@Test
	void invalidSettingsAreRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new TensorBufferPool(-1, 1024));
		assertThatIllegalArgumentException().isThrownBy(() -> new TensorBufferPool(1024, 100))
			.withMessageContaining("maxBufferBytes");
		assertThatIllegalArgumentException().isThrownBy(() -> new TensorBufferPool(1024, 1024).acquire(-1));
	}

	/**
	 * Eight threads, each 20,000 leases of random sizes over four size classes, on a pool whose bound is smaller
	 * than the threads' combined demand, so that buffers are reused, dropped and served unpooled all the time. Each
	 * lease is filled with a pattern unique to it, held across a yield, and checked before it is returned.
	 */
	@Test
	@Timeout(value = 60, unit = TimeUnit.SECONDS)
	void concurrentLeasesNeverShareABufferAndTheBoundHolds() throws Exception {
		int threads = 8;
		int leasesPerThread = 20_000;
		long bound = 3 * 4096;
		TensorBufferPool pool = new TensorBufferPool(bound, 4096);
		CyclicBarrier start = new CyclicBarrier(threads);
		AtomicLong overBound = new AtomicLong();
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			List<Future<Long>> corruptions = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				int thread = t;
				corruptions.add(executor.submit(() -> {
					SplittableRandom random = new SplittableRandom(thread);
					long corrupted = 0;
					start.await();
					for (int i = 0; i < leasesPerThread; i++) {
						int longs = 1 + random.nextInt(512);
						long stamp = ((long) thread << 32) | i;
						try (TensorBufferPool.Lease lease = pool.acquire(longs * Long.BYTES)) {
							ByteBuffer buffer = lease.buffer();
							for (int j = 0; j < longs; j++) {
								buffer.putLong(j * Long.BYTES, stamp + j);
							}
							if (pool.bytesHeld() > bound) {
								overBound.incrementAndGet();
							}
							Thread.yield();
							for (int j = 0; j < longs; j++) {
								if (buffer.getLong(j * Long.BYTES) != stamp + j) {
									corrupted++;
									break;
								}
							}
						}
					}
					return corrupted;
				}));
			}
			long corrupted = 0;
			for (Future<Long> result : corruptions) {
				corrupted += result.get();
			}
			assertThat(corrupted).as("leases whose buffer another lease wrote into").isZero();
		}
		finally {
			executor.shutdownNow();
		}
		assertThat(overBound.get()).isZero();
		assertThat(pool.openLeases()).isZero();
		assertThat(pool.hits() + pool.misses()).isEqualTo((long) threads * leasesPerThread);
		assertThat(pool.hits()).as("reuse happened").isPositive();
		assertThat(pool.bytesHeld()).isLessThanOrEqualTo(bound).isEqualTo(pool.bytesIdle());
		System.out.printf("TensorBufferPoolTests: %d leases, %d hits, %d misses, %d bytes held%n",
				(long) threads * leasesPerThread, pool.hits(), pool.misses(), pool.bytesHeld());
	}

}
