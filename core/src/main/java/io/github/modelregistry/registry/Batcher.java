package io.github.modelregistry.registry;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import io.github.modelregistry.holder.ModelHolder;
import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;
import org.jspecify.annotations.Nullable;

/**
 * Merges one model's concurrent asynchronous inferences into batches that run as one call of the runtime
 * ({@link BatchRun}), with Triton's dynamic batcher's semantics ({@link Batching}).
 * <p>
 * Algorithm: admitted requests that can merge wait in one FIFO deque under one lock; at most as many drain tasks as
 * the inference pool has threads run on that pool at a time, and a submission starts one when fewer run. A drain
 * task takes the oldest request and every later one with the same {@link Key} while the rows fit
 * {@code max-batch-size}, dropping on the way those whose caller stopped waiting (cancelled, timed out) and those
 * past {@code queue-timeout}; with a {@code max-queue-delay} it may wait on the lock's condition for more, but only
 * while no full or preferred batch can be formed and the oldest request has waited less than the delay. It runs the
 * batch outside the lock and goes on until the deque is empty.
 * <p>
 * Invariants: the deque never holds more than {@code max-queue-size} requests (one more is refused at once, 429);
 * it is never left non-empty with no drain running or about to run, because a drain decides to end, and a
 * submission decides to start one, under the same lock that guards the deque and the count of drains; a request is
 * validated against the served version before it is queued, so a bad one is refused alone and never fails a batch;
 * requests merge only along the first dimension and only with the same holder, version, outputs, input names,
 * datatypes and trailing dimensions, so that batching never changes an answer (anything else runs alone).
 * <p>
 * The lock is a plain {@link ReentrantLock}: it is held for a deque operation, or a scan of at most the queued
 * requests while a batch forms, never while a model runs.
 */
final class Batcher {

	private final RegisteredModel model;

	private final Batching settings;

	private final InferencePool pool;

	private final @Nullable TensorBufferPool buffers;

	private final int maxDrains;

	private final List<ModelRegistryObserver> observers;

	private final ReentrantLock lock = new ReentrantLock();

	/** Signalled when a request arrives, for a drain waiting out the queue delay. */
	private final Condition arrived = this.lock.newCondition();

	/** Guarded by {@link #lock}. */
	private final ArrayDeque<Queued> queue = new ArrayDeque<>();

	/** Drains running or about to; guarded by {@link #lock}. */
	private int drains;

	Batcher(RegisteredModel model, Batching settings, InferencePool pool, @Nullable TensorBufferPool buffers,
			List<ModelRegistryObserver> observers) {
		this.model = model;
		this.observers = observers;
		this.settings = settings;
		this.pool = pool;
		this.buffers = buffers;
		this.maxDrains = pool.threads();
	}

	Batching settings() {
		return this.settings;
	}

	/**
	 * Queues an admitted inference for a batch, or says it cannot merge with others (then the caller runs it alone).
	 * @return the answer, already failed if the request does not fit the model or the queue is full; {@code null} if
	 * the inference should run alone
	 */
	@Nullable CompletableFuture<InferenceResult> submit(Inference inference) {
		Queued queued;
		try {
			queued = queued(inference);
		}
		catch (InvalidTensorException ex) {
			long now = System.nanoTime();
			ModelRegistryException invalid = inference.translate(ex);
			inference.settle(InferenceOutcome.INVALID, invalid, false, now, 0, null, now);
			return CompletableFuture.failedFuture(invalid);
		}
		if (queued == null) {
			return null;
		}
		boolean full = false;
		boolean start = false;
		this.lock.lock();
		try {
			if (this.queue.size() >= this.settings.maxQueueSize()) {
				full = true;
			}
			else {
				this.queue.addLast(queued);
				if (this.drains < this.maxDrains) {
					this.drains++;
					start = true;
				}
				else if (!this.settings.maxQueueDelay().isZero()) {
					this.arrived.signalAll();
				}
			}
		}
		finally {
			this.lock.unlock();
		}
		if (full) {
			ModelOverloadedException refusal = new ModelOverloadedException("Model '" + this.model.name()
					+ "' already has " + this.settings.maxQueueSize() + " requests waiting for a batch (model-registry"
					+ ".batching.max-queue-size); retry later", Duration.ofSeconds(1));
			inference.refused(refusal);
			return CompletableFuture.failedFuture(refusal);
		}
		if (start) {
			try {
				this.pool.execute(this::drain);
			}
			catch (RejectedExecutionException ex) {
				notStarted();
			}
		}
		return queued.answer;
	}

	/**
	 * A drain could not start (the pool is closing or its queue is full): what no other drain will take is refused.
	 */
	private void notStarted() {
		List<Queued> stranded = new ArrayList<>();
		this.lock.lock();
		try {
			this.drains--;
			if (this.drains == 0) {
				stranded.addAll(this.queue);
				this.queue.clear();
			}
		}
		finally {
			this.lock.unlock();
		}
		for (Queued queued : stranded) {
			ModelOverloadedException refusal = new ModelOverloadedException("Too many inferences are waiting for a "
					+ "thread (model-registry.inference.max-queued), or the registry is closing; retry later",
					Duration.ofSeconds(1));
			queued.inference.refused(refusal);
			queued.answer.completeExceptionally(refusal);
		}
	}

	private void drain() {
		List<Queued> batch;
		while ((batch = take()) != null) {
			BatchRun.run(batch, this.buffers, this.observers);
		}
	}

	/**
	 * Forms the next batch, or ends this drain when nothing is queued.
	 */
	private @Nullable List<Queued> take() {
		List<Queued> dropped = new ArrayList<>(0);
		List<Queued> expired = new ArrayList<>(0);
		try {
			this.lock.lock();
			try {
				while (true) {
					long now = System.nanoTime();
					Queued head = firstLive(now, dropped, expired);
					if (head == null) {
						this.drains--;
						return null;
					}
					long waitFor = waitFor(head, now);
					if (waitFor > 0) {
						this.arrived.awaitNanos(waitFor);
						continue;
					}
					return collect(head, now, dropped, expired);
				}
			}
			catch (InterruptedException ex) {
				// The pool is closing: this drain ends, the rest of the queue is refused
				Thread.currentThread().interrupt();
				this.drains--;
				expired.addAll(this.queue);
				this.queue.clear();
				return null;
			}
			finally {
				this.lock.unlock();
			}
		}
		finally {
			settleDropped(dropped, expired);
		}
	}

	/** Guarded by {@link #lock}: the oldest request still waited for, dropping those no longer. */
	private @Nullable Queued firstLive(long now, List<Queued> dropped, List<Queued> expired) {
		Queued head;
		while ((head = this.queue.peekFirst()) != null && !live(head, now, dropped, expired)) {
			this.queue.pollFirst();
		}
		return head;
	}

	private boolean live(Queued queued, long now, List<Queued> dropped, List<Queued> expired) {
		if (queued.answer.isDone()) {
			dropped.add(queued);
			return false;
		}
		Duration timeout = this.settings.queueTimeout();
		if (timeout != null && now - queued.queuedAt > timeout.toNanos()) {
			expired.add(queued);
			return false;
		}
		return true;
	}

	/** Guarded by {@link #lock}: how long to wait for more requests before running what is there; 0 not to. */
	private long waitFor(Queued head, long now) {
		long delay = this.settings.maxQueueDelay().toNanos();
		if (delay == 0) {
			return 0;
		}
		long left = head.queuedAt + delay - now;
		if (left <= 0) {
			return 0;
		}
		int rows = 0;
		for (Queued queued : this.queue) {
			if (queued.key.equals(head.key) && rows + queued.rows <= this.settings.maxBatchSize()) {
				rows += queued.rows;
			}
		}
		return this.settings.runsAt(rows) ? 0 : left;
	}

	/** Guarded by {@link #lock}: takes the head and the later requests that merge with it, oldest first. */
	private List<Queued> collect(Queued head, long now, List<Queued> dropped, List<Queued> expired) {
		List<Queued> batch = new ArrayList<>();
		int rows = 0;
		int max = this.settings.maxBatchSize();
		for (Iterator<Queued> it = this.queue.iterator(); it.hasNext() && rows < max;) {
			Queued queued = it.next();
			if (!queued.key.equals(head.key) || rows + queued.rows > max) {
				continue;
			}
			it.remove();
			if (live(queued, now, dropped, expired)) {
				batch.add(queued);
				rows += queued.rows;
			}
		}
		return batch;
	}

	private void settleDropped(List<Queued> dropped, List<Queued> expired) {
		for (Queued queued : dropped) {
			queued.inference.abandoned(queued.answer);
		}
		for (Queued queued : expired) {
			Duration timeout = this.settings.queueTimeout();
			ModelUnavailableException refusal = new ModelUnavailableException("Model '" + this.model.name()
					+ "' did not start this request within " + ((timeout != null) ? timeout.toMillis() + " ms" : "time")
					+ " (model-registry.batching.queue-timeout); retry later", Duration.ofSeconds(1));
			queued.inference.refused(refusal);
			queued.answer.completeExceptionally(refusal);
		}
	}

	/**
	 * The request as it waits for a batch, with what it must share with others to merge with them, or {@code null}
	 * if it runs alone.
	 * @throws InvalidTensorException if it does not fit the served version
	 */
	private @Nullable Queued queued(Inference inference) {
		RegisteredModel.Served served = (inference.version() == null) ? this.model.served()
				: this.model.served(inference.version());
		if (served == null) {
			// Not loaded yet (a lazy model): nothing to check against, so it runs alone and is checked as it runs
			return null;
		}
		InferenceRequest request = inference.request();
		// The runtime's own check: a request it would refuse is refused here, alone, and never fails a batch
		served.signature().validate(request.inputs(), request.outputs());
		for (TensorSpec output : served.outputs()) {
			if (output.shape().length == 0 || output.shape()[0] != -1) {
				// An output that is not batched along the first dimension cannot be split back into answers
				return null;
			}
		}
		long rows = -1;
		List<InputShape> shapes = new ArrayList<>(request.inputs().size());
		for (Tensor input : request.inputs()) {
			long[] shape = input.shape();
			TensorSpec spec = java.util.Objects.requireNonNull(served.signature().input(input.name()));
			if (shape.length == 0 || spec.shape()[0] != -1 || (rows >= 0 && shape[0] != rows)) {
				return null;
			}
			rows = shape[0];
			shapes.add(new InputShape(input.name(), input.datatype(), Arrays.copyOfRange(shape, 1, shape.length)));
		}
		if (rows < 1 || rows > this.settings.maxBatchSize()) {
			return null;
		}
		return new Queued(inference, new CompletableFuture<>(),
				new Key(inference.holder(), inference.version(), request.outputs(), shapes), (int) rows, System.nanoTime());
	}

	/**
	 * A queued request.
	 */
	record Queued(Inference inference, CompletableFuture<InferenceResult> answer, Key key, int rows, long queuedAt) {
	}

	/**
	 * What requests must share to merge (holders do not override {@code equals}: the same holder object, as a
	 * batch is one read of one holder).
	 */
	record Key(ModelHolder<InferenceModel> holder, @Nullable Long version, List<String> outputs,
			List<InputShape> inputs) {
	}

	/**
	 * One input's name, datatype and dimensions after the first.
	 */
	record InputShape(String name, TensorDatatype datatype, long[] tail) {

		@Override
		public boolean equals(Object other) {
			return (other instanceof InputShape that) && this.name.equals(that.name)
					&& this.datatype == that.datatype && Arrays.equals(this.tail, that.tail);
		}

		@Override
		public int hashCode() {
			return this.name.hashCode() * 31 + Arrays.hashCode(this.tail);
		}

	}

}
