package io.github.modelregistry.holder;

import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A model that fails loudly when it is used after close, closed while in use, or closed twice. Violations are thrown
 * and also recorded in a queue shared by a test's models, because a throw on a reader thread could be swallowed.
 */
final class FakeModel implements AutoCloseable {

	private final long version;

	private final Queue<String> violations;

	private final AtomicInteger inside = new AtomicInteger();

	private final AtomicInteger maxInside = new AtomicInteger();

	private final AtomicInteger closes = new AtomicInteger();

	private volatile boolean closed;

	private volatile boolean failOnClose;

	/** Keeps the work in {@link #use()} from being optimised away. */
	private volatile long sink;

	FakeModel(long version, Queue<String> violations) {
		this.version = version;
		this.violations = violations;
	}

	/**
	 * Uses the model: records how many threads are inside, does a little work, and checks it was not closed before
	 * or during the use.
	 * @return the version of this model
	 */
	long use() {
		int now = this.inside.incrementAndGet();
		this.maxInside.accumulateAndGet(now, Math::max);
		try {
			check("used after close");
			long x = this.version;
			for (int i = 0; i < 64; i++) {
				x = x * 31 + i;
			}
			this.sink = x;
			check("closed while in use");
			return this.version;
		}
		finally {
			this.inside.decrementAndGet();
		}
	}

	private void check(String what) {
		if (this.closed) {
			fail("model " + this.version + " " + what);
		}
	}

	@Override
	public void close() throws Exception {
		// Write closed first, then read inside: against use()'s increment-then-read, one of the two sees the other
		this.closed = true;
		if (this.inside.get() > 0) {
			fail("model " + this.version + " closed while " + this.inside.get() + " reader(s) were inside");
		}
		if (this.closes.incrementAndGet() > 1) {
			fail("model " + this.version + " closed " + this.closes.get() + " times");
		}
		if (this.failOnClose) {
			throw new IllegalStateException("close of model " + this.version + " failed on purpose");
		}
	}

	private void fail(String violation) {
		this.violations.add(violation);
		throw new IllegalStateException(violation);
	}

	long version() {
		return this.version;
	}

	int closes() {
		return this.closes.get();
	}

	boolean isClosed() {
		return this.closed;
	}

	int maxInside() {
		return this.maxInside.get();
	}

	FakeModel failOnClose() {
		this.failOnClose = true;
		return this;
	}

	@Override
	public String toString() {
		return "FakeModel " + this.version;
	}

}
