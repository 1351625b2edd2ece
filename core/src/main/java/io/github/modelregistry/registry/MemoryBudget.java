package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.InferenceModel;

/**
 * The registry's native-memory budget ({@code model-registry.memory.max}): the sum of what every loaded version is
 * charged ({@link ResidentMemory}) may not pass it.
 * <p>
 * Algorithm, for each load of a version held between requests: (1) before the load, make room for its file's size
 * (what it costs at least); (2) load it, measuring the process's resident growth; (3) make room for what it really
 * took; (4) charge it, wrapped so that closing it gives the charge back exactly once. Making room means asking the
 * {@link Evictor} to unload one model after another (least recently used first) until the load fits; when nothing
 * more can be unloaded the load is refused with {@link ModelMemoryExceededException}: at step 1 before anything is
 * loaded, at step 3 by closing what was loaded. Either way what served before goes on serving. A load that could
 * not fit even if every evictable model were unloaded (the versions that serve and cannot be unloaded leave too
 * little) is refused before anything is unloaded, so a refusal never costs another model its place.
 * <p>
 * Invariants: the whole sequence runs inside {@link ResidentMemory#TURN}, the process-wide turn of measured loads,
 * so two loads never both pass a check that only one of them fits, and no eviction can race a load's measurement.
 * An eviction gives its charge back before the evictor returns (it waits for the version's close), so the loop sees
 * the room it made. Releases are atomic decrements from whatever thread closes a version (the retirer, an
 * unregistration); they never take the turn, so a close never waits for a load.
 */
final class MemoryBudget {

	/** No budget: every load fits, and charges are only counted. */
	static final long UNBOUNDED = Long.MAX_VALUE;

	/** The longest a load waits for versions on their way in or out before it is refused. */
	static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

	private final long max;

	private final Evictor evictor;

	private final AtomicLong charged = new AtomicLong();

	/** Counts versions that started serving or gave their charge back; {@link #settled} is notified of each. */
	private final AtomicLong changes = new AtomicLong();

	private final Object settled = new Object();

	MemoryBudget(long max, Evictor evictor) {
		if (max <= 0) {
			throw new IllegalArgumentException("A memory budget must be positive, was " + max);
		}
		this.max = max;
		this.evictor = evictor;
	}

	long max() {
		return this.max;
	}

	boolean bounded() {
		return this.max != UNBOUNDED;
	}

	long charged() {
		return this.charged.get();
	}

	/**
	 * Loads a version within the budget and returns it charged: closing it gives the charge back.
	 * @param model the model name
	 * @param version the version about to load
	 * @param leastBytes what it costs at least: its file's size
	 * @param load the load itself
	 * @throws ModelMemoryExceededException if it does not fit, even once every model that may be unloaded is
	 * @throws Exception what the load threw
	 */
	Loaded load(String model, long version, long leastBytes, ResidentMemory.Load<InferenceModel> load)
			throws Exception {
		synchronized (ResidentMemory.TURN) {
			makeRoom(model, version, leastBytes, false);
			ResidentMemory.Charged<InferenceModel> measured = ResidentMemory.measure(load, InferenceModel::sizeBytes);
			try {
				makeRoom(model, version, measured.bytes(), true);
			}
			catch (ModelMemoryExceededException ex) {
				closeUnused(measured.loaded());
				throw ex;
			}
			this.charged.addAndGet(measured.bytes());
			return new Loaded(new Charged(measured.loaded(), measured.bytes()), measured.bytes());
		}
	}

	/**
	 * Unloads models until {@code bytes} more fit. Called in the turn.
	 * <p>
	 * When nothing can be unloaded now but not everything charged is serving (a version loaded by an earlier turn is
	 * still warming up or being installed, or a replaced one is still draining), this waits for the next change
	 * (a version starts serving or gives its charge back) and tries again, until {@link #SETTLE_TIMEOUT}: such
	 * versions do not need the turn to finish, so the wait ends.
	 */
	private void makeRoom(String model, long version, long bytes, boolean measured) throws InterruptedException {
		if (!this.bounded()) {
			return;
		}
		if (bytes > this.max) {
			// Unloading every other model would not make room: refuse before unloading any
			throw new ModelMemoryExceededException(model, version, bytes, measured, this.charged.get(), this.max);
		}
		long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
		while (this.charged.get() + bytes > this.max) {
			long seen = this.changes.get();
			if (this.evictor.servingBytes() - this.evictor.evictableBytes(model) + bytes > this.max) {
				// What serves and can never be unloaded leaves no room, whatever is unloaded or on its way: refuse
				// before unloading anything
				throw new ModelMemoryExceededException(model, version, bytes, measured, this.charged.get(), this.max);
			}
			if (this.evictor.evictOne(model)) {
				continue;
			}
			boolean inTransit = this.charged.get() > this.evictor.servingBytes();
			if (!inTransit || !awaitChange(seen, deadline)) {
				throw new ModelMemoryExceededException(model, version, bytes, measured, this.charged.get(), this.max);
			}
		}
	}

	/**
	 * Waits until a version starts serving or gives its charge back after {@code seen}.
	 * @return whether one did before the deadline
	 */
	private boolean awaitChange(long seen, long deadline) throws InterruptedException {
		synchronized (this.settled) {
			while (this.changes.get() == seen) {
				long left = deadline - System.nanoTime();
				if (left <= 0) {
					return false;
				}
				TimeUnit.NANOSECONDS.timedWait(this.settled, left);
			}
			return true;
		}
	}

	/**
	 * A version started serving or gave its charge back: wakes a load waiting for room.
	 */
	void changed() {
		this.changes.incrementAndGet();
		synchronized (this.settled) {
			this.settled.notifyAll();
		}
	}

	/**
	 * A loaded version, charged, and its charge.
	 */
	record Loaded(InferenceModel model, long bytes) {
	}

	/**
	 * Unloads a model to make room; the registry's least-recently-used policy.
	 */
	interface Evictor {

		/**
		 * Unloads one model other than {@code loading} and returns once its memory is given back.
		 * @param loading the model whose load needs room
		 * @return whether a model was unloaded; {@code false} when none can be
		 */
		boolean evictOne(String loading);

		/**
		 * Returns the charges of the versions serving now, all models together: what is charged beyond that is on
		 * its way in or out.
		 */
		long servingBytes();

		/**
		 * Returns the charges of the versions serving now that {@link #evictOne} could unload for {@code loading}.
		 */
		long evictableBytes(String loading);

	}

	/**
	 * A loaded version whose close gives its charge back, once.
	 */
	private final class Charged extends ForwardingInferenceModel {

		private final long bytes;

		private final AtomicBoolean released = new AtomicBoolean();

		Charged(InferenceModel model, long bytes) {
			super(model);
			this.bytes = bytes;
		}

		@Override
		public void close() throws Exception {
			try {
				super.close();
			}
			finally {
				if (this.released.compareAndSet(false, true)) {
					MemoryBudget.this.charged.addAndGet(-this.bytes);
					MemoryBudget.this.changed();
				}
			}
		}

	}

	/**
	 * Closes a version refused after its load: it never served, so a failure to close changes nothing for anyone.
	 */
	private static void closeUnused(AutoCloseable model) {
		try {
			model.close();
		}
		catch (Exception ex) {
			// Never served; the caller learns of the refusal from its exception
		}
	}

}
