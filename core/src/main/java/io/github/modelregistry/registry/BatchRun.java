package io.github.modelregistry.registry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import io.github.modelregistry.registry.Batcher.Queued;
import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import org.jspecify.annotations.Nullable;

/**
 * Runs one batch: one read of the holder, so that every request in it is answered by the same version; the
 * requests' inputs concatenated along the first dimension into one buffer per input (leased from the tensor pool
 * when there is one, handed back once the runtime has returned); each request's outputs the rows of the batch's
 * outputs that are its own, as views of them (no copy). If the model's outputs do not come back with the batch's
 * rows first, each request runs alone within the same read, so that batching never changes an answer; and so
 * does each when the model refuses the batch's data while it runs (a pipeline's stage finding one request's text
 * invalid), so that only the request at fault is refused.
 * <p>
 * The circuit breaker sees one call per batch: the first request settles with the run's outcome, the others hand
 * their permissions back uncounted. Every request is observed (metrics) on its own.
 */
final class BatchRun {

	private BatchRun() {
	}

	static void run(List<Queued> batch, @Nullable TensorBufferPool buffers, List<ModelRegistryObserver> observers) {
		int rows = rows(batch);
		observe(batch, rows, observers);
		if (batch.size() == 1) {
			batch.get(0).inference().runFor(batch.get(0).answer());
			return;
		}
		Inference first = batch.get(0).inference();
		long start = System.nanoTime();
		long[] entered = { 0 };
		Long[] ran = { null };
		List<Answer> answers;
		try {
			answers = first.holder().read((loaded) -> {
				entered[0] = System.nanoTime();
				Long version = first.version();
				if (version != null && loaded.version() != version) {
					throw first.model().notServed(version);
				}
				ran[0] = loaded.version();
				return run(loaded, batch, rows, buffers);
			});
		}
		catch (RuntimeException ex) {
			ModelRegistryException failure = first.translate(ex);
			InferenceOutcome outcome = Inference.outcome(failure);
			long end = System.nanoTime();
			for (int i = 0; i < batch.size(); i++) {
				Queued queued = batch.get(i);
				queued.inference().settle(outcome, failure, i == 0, start, entered[0], ran[0], end);
				queued.answer().completeExceptionally(failure);
			}
			return;
		}
		long end = System.nanoTime();
		String name = first.model().name();
		for (int i = 0; i < batch.size(); i++) {
			Queued queued = batch.get(i);
			Answer answer = answers.get(i);
			if (answer.failure() != null) {
				ModelRegistryException failure = queued.inference().translate(answer.failure());
				queued.inference().settle(Inference.outcome(failure), failure, i == 0, start, entered[0], ran[0], end);
				queued.answer().completeExceptionally(failure);
			}
			else {
				queued.inference().settle(InferenceOutcome.SUCCESS, null, i == 0, start, entered[0], ran[0], end);
				queued.answer().complete(new InferenceResult(name, ran[0], answer.outputs()));
			}
		}
	}

	/**
	 * One request's part of a batch: its outputs, or why it alone failed.
	 */
	private record Answer(List<Tensor> outputs, @Nullable RuntimeException failure) {

		static Answer of(List<Tensor> outputs) {
			return new Answer(outputs, null);
		}

	}

	private static int rows(List<Queued> batch) {
		int rows = 0;
		for (Queued queued : batch) {
			rows += queued.rows();
		}
		return rows;
	}

	private static void observe(List<Queued> batch, int rows, List<ModelRegistryObserver> observers) {
		if (observers.isEmpty()) {
			return;
		}
		String model = batch.get(0).inference().model().name();
		long now = System.nanoTime();
		for (Queued queued : batch) {
			for (ModelRegistryObserver observer : observers) {
				observer.batchQueued(model, now - queued.queuedAt());
			}
		}
		for (ModelRegistryObserver observer : observers) {
			observer.batched(model, batch.size(), rows);
		}
	}

	private static List<Answer> run(InferenceModel loaded, List<Queued> batch, int rows,
			@Nullable TensorBufferPool buffers) {
		List<String> outputs = batch.get(0).inference().request().outputs();
		List<Tensor> outputsOfBatch;
		List<TensorBufferPool.Lease> leases = new ArrayList<>();
		try {
			outputsOfBatch = loaded.run(concatenate(batch, rows, buffers, leases), outputs);
		}
		catch (InvalidTensorException ex) {
			// One request's data the model refused while running (a pipeline's stage: text that is not UTF-8): each
			// runs alone, in this same read, so that only that request is refused
			return alone(loaded, batch, outputs);
		}
		finally {
			leases.forEach(TensorBufferPool.Lease::close);
		}
		for (Tensor output : outputsOfBatch) {
			long[] shape = output.shape();
			if (shape.length == 0 || shape[0] != rows) {
				// Not batched along the first dimension after all: each request runs alone, in this same read
				return alone(loaded, batch, outputs);
			}
		}
		List<Answer> answers = new ArrayList<>(batch.size());
		for (List<Tensor> own : split(outputsOfBatch, batch, rows)) {
			answers.add(Answer.of(own));
		}
		return answers;
	}

	private static List<Answer> alone(InferenceModel loaded, List<Queued> batch, List<String> outputs) {
		List<Answer> alone = new ArrayList<>(batch.size());
		for (Queued queued : batch) {
			try {
				alone.add(Answer.of(loaded.run(queued.inference().request().inputs(), outputs)));
			}
			catch (InvalidTensorException ex) {
				alone.add(new Answer(List.of(), ex));
			}
		}
		return alone;
	}

	private static List<Tensor> concatenate(List<Queued> batch, int rows, @Nullable TensorBufferPool buffers,
			List<TensorBufferPool.Lease> leases) {
		List<Tensor> model = batch.get(0).inference().request().inputs();
		List<Tensor> inputs = new ArrayList<>(model.size());
		for (int j = 0; j < model.size(); j++) {
			Tensor head = model.get(j);
			long[] shape = head.shape();
			// Summed rather than rows times a row's bytes: BYTES rows differ in size
			int bytes = 0;
			for (Queued queued : batch) {
				bytes = Math.addExact(bytes, queued.inference().request().inputs().get(j).bytes().remaining());
			}
			ByteBuffer buffer;
			if (buffers != null) {
				TensorBufferPool.Lease lease = buffers.acquire(bytes);
				leases.add(lease);
				buffer = lease.buffer();
			}
			else {
				buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
			}
			int offset = 0;
			for (Queued queued : batch) {
				ByteBuffer part = queued.inference().request().inputs().get(j).bytes();
				buffer.put(offset, part, part.position(), part.remaining());
				offset += part.remaining();
			}
			shape[0] = rows;
			inputs.add(Tensor.of(head.name(), head.datatype(), shape, buffer));
		}
		return inputs;
	}

	private static List<List<Tensor>> split(List<Tensor> outputs, List<Queued> batch, int rows) {
		List<List<Tensor>> answers = new ArrayList<>(batch.size());
		for (int i = 0; i < batch.size(); i++) {
			answers.add(new ArrayList<>(outputs.size()));
		}
		for (Tensor output : outputs) {
			ByteBuffer bytes = output.bytes();
			long[] shape = output.shape();
			long elementsPerRow = (rows == 0) ? 0 : output.elementCount() / rows;
			int offset = bytes.position();
			for (int i = 0; i < batch.size(); i++) {
				int own = batch.get(i).rows();
				long[] ownShape = shape.clone();
				ownShape[0] = own;
				// Arithmetic for fixed-size datatypes, a walk over the lengths for BYTES
				int end = output.datatype().skip(bytes, offset, own * elementsPerRow);
				ByteBuffer slice = bytes.slice(offset, end - offset).order(ByteOrder.nativeOrder());
				answers.get(i).add(Tensor.of(output.name(), output.datatype(), ownShape, slice));
				offset = end;
			}
		}
		return answers;
	}

}
