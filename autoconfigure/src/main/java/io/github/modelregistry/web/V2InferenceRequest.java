package io.github.modelregistry.web;

import java.util.List;

import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorBufferPool;
import org.jspecify.annotations.Nullable;

/**
 * A decoded V2 inference request. Its tensors may live in pooled buffers: {@link #close() close} it once they are no
 * longer read (after inference), and do not read them afterwards.
 *
 * @param id the request id, echoed in the response, or {@code null}
 * @param inputs the input tensors
 * @param outputs the names of the outputs asked for; empty for all
 * @param leases the pooled buffers the inputs live in; empty when they are on the heap
 */
public record V2InferenceRequest(@Nullable String id, List<Tensor> inputs, List<String> outputs,
		List<TensorBufferPool.Lease> leases) implements AutoCloseable {

	/**
	 * Creates a request whose tensors are on the heap.
	 */
	public V2InferenceRequest(@Nullable String id, List<Tensor> inputs, List<String> outputs) {
		this(id, inputs, outputs, List.of());
	}

	/**
	 * Returns the pooled buffers; closing the request twice has no effect.
	 */
	@Override
	public void close() {
		this.leases.forEach(TensorBufferPool.Lease::close);
	}

}
