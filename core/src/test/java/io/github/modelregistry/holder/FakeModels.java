package io.github.modelregistry.holder;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Makes numbered {@link FakeModel}s for one test, remembers them, and acts as a loader that can be made to fail or
 * to wait at a gate.
 */
final class FakeModels implements ModelLoader<FakeModel> {

	private final Queue<String> violations = new ConcurrentLinkedQueue<>();

	private final Queue<FakeModel> created = new ConcurrentLinkedQueue<>();

	private final AtomicLong versions = new AtomicLong();

	private final AtomicLong loads = new AtomicLong();

	private final AtomicBoolean failing = new AtomicBoolean();

	private volatile CountDownLatch gate = new CountDownLatch(0);

	/**
	 * Creates the next model, with a version one higher than the last.
	 */
	FakeModel next() {
		FakeModel model = new FakeModel(this.versions.incrementAndGet(), this.violations);
		this.created.add(model);
		return model;
	}

	@Override
	public FakeModel load() throws Exception {
		if (!this.gate.await(60, TimeUnit.SECONDS)) {
			throw new IllegalStateException("the test never opened the loader's gate");
		}
		if (this.failing.get()) {
			throw new java.io.IOException("model file is corrupt (on purpose)");
		}
		this.loads.incrementAndGet();
		return next();
	}

	FakeModels failing(boolean failing) {
		this.failing.set(failing);
		return this;
	}

	/**
	 * Makes loads wait until the returned latch is counted down.
	 */
	CountDownLatch closeGate() {
		CountDownLatch gate = new CountDownLatch(1);
		this.gate = gate;
		return gate;
	}

	long loads() {
		return this.loads.get();
	}

	List<FakeModel> created() {
		return List.copyOf(this.created);
	}

	void assertNoViolations() {
		assertThat(this.violations).as("use-after-close and double-close violations").isEmpty();
	}

	void assertEveryModelClosedExactlyOnce() {
		assertNoViolations();
		assertThat(this.created).allSatisfy((model) -> assertThat(model.closes()).as(model + " closes").isEqualTo(1));
	}

}
