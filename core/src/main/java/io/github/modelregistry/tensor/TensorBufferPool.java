package io.github.modelregistry.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayDeque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * A bounded pool of direct, native-order byte buffers for input tensors: a request's data is decoded straight into
 * memory that ONNX Runtime reads in place.
 * <p>
 * Why: {@code OnnxTensor.createTensor} uses a direct buffer in native byte order as it is, but copies any other
 * buffer into a fresh {@code ByteBuffer.allocateDirect} on every call (a native allocation, zeroing, a
 * {@code Cleaner}, and the JVM-wide direct-memory counter), which the garbage collector frees later. A pooled buffer
 * costs neither the copy nor the allocation.
 * <p>
 * Implementation notes. Buffers come in power-of-two size classes from {@value #MIN_BUFFER_BYTES} bytes up to the
 * largest buffer the pool keeps; a request takes a buffer of the smallest class that fits. A buffer serves any
 * datatype (a {@link Tensor} holds its data as native-order bytes, whatever the datatype), so classes are by size
 * alone. Each class keeps its idle buffers in an
 * {@link ArrayDeque} under the class's own lock, held for one push or pop: at the pool's concurrency (one lease per
 * inference thread, a handful of threads) that lock is uncontended, and unlike a lock-free stack of reused nodes it
 * has no ABA hazard.
 * <p>
 * Invariants. (1) A buffer is either idle in its class or referenced by exactly one open {@link Lease}: acquiring
 * pops it under the lock, and a lease returns it once, guarded by a compare-and-set, so closing a lease twice is
 * harmless. (2) The direct memory the pool owns, idle and leased together, never exceeds {@code maxBytes}: bytes are
 * reserved on {@link #bytesHeld} before a buffer is allocated, and released when one is dropped. When the bound is
 * reached, idle buffers of other classes are dropped (the garbage collector frees their memory) to make room; when
 * there is nothing to drop, or a request is larger than the largest class, the caller gets an unpooled direct
 * buffer that is never returned: exactly what ONNX Runtime would have allocated, counted as a miss.
 * <p>
 * A lease must be closed only when nothing reads its buffer any more: for a tensor, after the
 * {@code OnnxTensor} built on it was closed, which {@code OnnxModel.run} does before it returns.
 */
public final class TensorBufferPool {

	/** Smallest size class, in bytes. */
	public static final int MIN_BUFFER_BYTES = 256;

	private static final int MIN_SHIFT = Integer.numberOfTrailingZeros(MIN_BUFFER_BYTES);

	private final long maxBytes;

	private final int maxBufferBytes;

	private final SizeClass[] classes;

	private final AtomicLong bytesHeld = new AtomicLong();

	private final AtomicLong bytesIdle = new AtomicLong();

	private final AtomicLong openLeases = new AtomicLong();

	private final LongAdder hits = new LongAdder();

	private final LongAdder misses = new LongAdder();

	/**
	 * @param maxBytes the most direct memory the pool may own, idle and leased buffers together
	 * @param maxBufferBytes the largest buffer the pool keeps; rounded up to a power of two
	 */
	public TensorBufferPool(long maxBytes, int maxBufferBytes) {
		if (maxBytes < 0) {
			throw new IllegalArgumentException("maxBytes must not be negative, was " + maxBytes);
		}
		if (maxBufferBytes < MIN_BUFFER_BYTES || maxBufferBytes > (1 << 30)) {
			throw new IllegalArgumentException(
					"maxBufferBytes must be between " + MIN_BUFFER_BYTES + " and 2^30, was " + maxBufferBytes);
		}
		this.maxBytes = maxBytes;
		int largest = classOf(maxBufferBytes);
		this.maxBufferBytes = MIN_BUFFER_BYTES << largest;
		this.classes = new SizeClass[largest + 1];
		for (int i = 0; i < this.classes.length; i++) {
			this.classes[i] = new SizeClass(MIN_BUFFER_BYTES << i);
		}
	}

	/**
	 * Leases a direct buffer in native byte order, positioned at 0 with {@code bytes} remaining. Its content is
	 * whatever the previous lease left: write every byte before reading.
	 */
	public Lease acquire(int bytes) {
		if (bytes < 0) {
			throw new IllegalArgumentException("bytes must not be negative, was " + bytes);
		}
		this.openLeases.incrementAndGet();
		if (bytes <= this.maxBufferBytes) {
			SizeClass sizeClass = this.classes[classOf(bytes)];
			@Nullable ByteBuffer idle = sizeClass.poll();
			if (idle != null) {
				this.bytesIdle.addAndGet(-sizeClass.bytes);
				this.hits.increment();
				return new Lease(this, sizeClass, idle, bytes);
			}
			if (reserve(sizeClass.bytes)) {
				// A new pooled buffer: a miss now, a hit for every later lease of it
				this.misses.increment();
				return new Lease(this, sizeClass, allocate(sizeClass.bytes), bytes);
			}
		}
		this.misses.increment();
		return new Lease(this, null, allocate(bytes), bytes);
	}

	/**
	 * Reserves {@code bytes} under the bound, dropping idle buffers of any class to make room.
	 */
	private boolean reserve(int bytes) {
		while (true) {
			long held = this.bytesHeld.get();
			if (held + bytes <= this.maxBytes) {
				if (this.bytesHeld.compareAndSet(held, held + bytes)) {
					return true;
				}
				// Lost a race with another reservation or release: re-read
				continue;
			}
			if (!dropOneIdle()) {
				return false;
			}
		}
	}

	private boolean dropOneIdle() {
		// Largest classes first: fewest drops to make room
		for (int i = this.classes.length - 1; i >= 0; i--) {
			SizeClass sizeClass = this.classes[i];
			if (sizeClass.poll() != null) {
				this.bytesIdle.addAndGet(-sizeClass.bytes);
				this.bytesHeld.addAndGet(-sizeClass.bytes);
				return true;
			}
		}
		return false;
	}

	void release(Lease lease) {
		this.openLeases.decrementAndGet();
		SizeClass sizeClass = lease.sizeClass;
		if (sizeClass != null) {
			// Counted idle before it is visible to pollers, so that bytesIdle never goes negative
			this.bytesIdle.addAndGet(sizeClass.bytes);
			sizeClass.push(lease.pooled);
		}
	}

	private static ByteBuffer allocate(int bytes) {
		return ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
	}

	private static int classOf(int bytes) {
		if (bytes <= MIN_BUFFER_BYTES) {
			return 0;
		}
		return (32 - Integer.numberOfLeadingZeros(bytes - 1)) - MIN_SHIFT;
	}

	/**
	 * Returns how many leases were served by an idle pooled buffer.
	 */
	public long hits() {
		return this.hits.sum();
	}

	/**
	 * Returns how many leases needed a newly allocated buffer, pooled or not.
	 */
	public long misses() {
		return this.misses.sum();
	}

	/**
	 * Returns the direct memory the pool owns, idle and leased buffers together; never more than
	 * {@link #maxBytes()}. Unpooled buffers handed out on a miss are not counted.
	 */
	public long bytesHeld() {
		return this.bytesHeld.get();
	}

	/**
	 * Returns the bytes of the idle buffers waiting for a lease.
	 */
	public long bytesIdle() {
		return this.bytesIdle.get();
	}

	/**
	 * Returns how many leases are open, pooled or not.
	 */
	public long openLeases() {
		return this.openLeases.get();
	}

	public long maxBytes() {
		return this.maxBytes;
	}

	/**
	 * Returns the largest buffer the pool keeps, in bytes: a power of two.
	 */
	public int maxBufferBytes() {
		return this.maxBufferBytes;
	}

	@Override
	public String toString() {
		return "TensorBufferPool[held " + bytesHeld() + " of " + this.maxBytes + " bytes, " + hits() + " hits, "
				+ misses() + " misses]";
	}

	/**
	 * The idle buffers of one size.
	 */
	private static final class SizeClass {

		final int bytes;

		private final ArrayDeque<ByteBuffer> idle = new ArrayDeque<>();

		SizeClass(int bytes) {
			this.bytes = bytes;
		}

		synchronized @Nullable ByteBuffer poll() {
			// LIFO: the most recently used buffer is the likeliest to be in cache
			return this.idle.pollFirst();
		}

		synchronized void push(ByteBuffer buffer) {
			this.idle.addFirst(buffer);
		}

	}

	/**
	 * One use of a buffer. Closing it hands the buffer back; closing it again has no effect.
	 */
	public static final class Lease implements AutoCloseable {

		private final TensorBufferPool pool;

		private final @Nullable SizeClass sizeClass;

		private final ByteBuffer pooled;

		private final ByteBuffer buffer;

		@SuppressWarnings("unused") // Accessed through CLOSED
		private volatile int closed;

		Lease(TensorBufferPool pool, @Nullable SizeClass sizeClass, ByteBuffer pooled, int bytes) {
			this.pool = pool;
			this.sizeClass = sizeClass;
			this.pooled = pooled;
			// A view per lease: its position and limit are the caller's, and it starts at 0 whatever the last one did
			this.buffer = pooled.slice(0, bytes).order(ByteOrder.nativeOrder());
		}

		/**
		 * Returns the leased bytes: direct, native order, position 0, limit the size asked for.
		 */
		public ByteBuffer buffer() {
			return this.buffer;
		}

		/**
		 * Returns whether the buffer came from the pool and goes back to it (a miss may hand out an unpooled one).
		 */
		public boolean pooled() {
			return this.sizeClass != null;
		}

		@Override
		public void close() {
			if (CLOSED.compareAndSet(this, 0, 1)) {
				this.pool.release(this);
			}
		}

		// VarHandle mechanics
		private static final VarHandle CLOSED;

		static {
			try {
				CLOSED = MethodHandles.lookup().findVarHandle(Lease.class, "closed", int.class);
			}
			catch (ReflectiveOperationException ex) {
				throw new ExceptionInInitializerError(ex);
			}
		}

	}

}
