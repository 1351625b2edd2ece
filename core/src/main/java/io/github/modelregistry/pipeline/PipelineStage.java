package io.github.modelregistry.pipeline;

import java.util.List;
import java.util.Map;

import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * One Java step of a {@link Pipeline}, before or after the model's runtime: named tensors in, named tensors out. A
 * stage reads the tensors it names in {@link #inputs()} from what the request and the steps before it produced, and
 * adds its {@link #outputs()}; a tokenizer reads {@code text} and adds {@code input_ids} and {@code attention_mask},
 * a pooling stage reads the model's token embeddings and that mask and adds {@code embedding}.
 * <p>
 * A stage belongs to one version of one model: it is made when that version loads (from the version's files), may
 * be called from many threads at once, and is closed once, after the last run of its version has returned.
 */
public interface PipelineStage extends AutoCloseable {

	/**
	 * Returns the tensors the stage reads, with the datatypes and shapes it takes ({@code -1} for any size).
	 */
	List<TensorSpec> inputs();

	/**
	 * Returns the tensors the stage adds, in the order {@link #run} returns them.
	 */
	List<TensorSpec> outputs();

	/**
	 * Runs the stage on one request, or on one batch of requests merged along the first dimension: rows are
	 * independent, and row {@code i} of every output belongs to row {@code i} of the inputs.
	 * @param inputs the tensors named in {@link #inputs()}, by name
	 * @return one tensor per {@link #outputs() output}, in that order
	 * @throws InvalidTensorException if the request's data cannot be processed (text that is not UTF-8): a 400
	 * @throws RuntimeException if the stage fails: a failure of the model, not of the request
	 */
	List<Tensor> run(Map<String, Tensor> inputs);

	/**
	 * Returns the memory the stage holds outside the Java heap, in bytes, if it knows (a tokenizer's vocabulary);
	 * 0 by default. The registry charges what a whole load allocates in any case; this is for reports.
	 */
	default long sizeBytes() {
		return 0;
	}

	/**
	 * Releases what the stage holds. Nothing by default.
	 */
	@Override
	default void close() {
	}

}
