package io.github.modelregistry.protocol;

import java.util.List;
import java.util.Map;

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
 * @param binary which outputs the answer carries as raw bytes (the binary tensor data extension)
 * @param leases the pooled buffers the inputs live in; empty when they are on the heap
 */
public record V2InferenceRequest(@Nullable String id, List<Tensor> inputs, List<String> outputs, BinaryOutputs binary,
		List<TensorBufferPool.Lease> leases) implements AutoCloseable {

	/**
	 * Creates a request whose tensors are on the heap and whose outputs are answered in JSON.
	 */
	public V2InferenceRequest(@Nullable String id, List<Tensor> inputs, List<String> outputs) {
		this(id, inputs, outputs, BinaryOutputs.NONE, List.of());
	}

	/**
	 * Returns the pooled buffers; closing the request twice has no effect.
	 */
	@Override
	public void close() {
		this.leases.forEach(TensorBufferPool.Lease::close);
	}

	/**
	 * Which outputs are answered as raw bytes after the JSON header rather than as JSON {@code data}: an output's
	 * own {@code parameters.binary_data} when the request names it, otherwise the request's
	 * {@code parameters.binary_data_output} (as the extension says: a per-output setting overrides it).
	 *
	 * @param byDefault the request's {@code binary_data_output}
	 * @param perOutput each named output's {@code binary_data}, where it gave one
	 */
	public record BinaryOutputs(boolean byDefault, Map<String, Boolean> perOutput) {

		/** Every output in JSON. */
		public static final BinaryOutputs NONE = new BinaryOutputs(false, Map.of());

		/**
		 * Returns whether the output is answered as raw bytes.
		 */
		public boolean binary(String output) {
			return this.perOutput.getOrDefault(output, this.byDefault);
		}

	}

}
