package io.github.modelregistry.tensor;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * One loaded version of a model, whatever runtime runs it: what the registry holds and what its holders guard.
 * {@link #run} may be called from many threads at once; {@link #close()} is called once, after the last run has
 * returned (the holders guarantee it).
 */
public interface InferenceModel extends AutoCloseable {

	/**
	 * Returns the model name.
	 */
	String name();

	/**
	 * Returns the version loaded.
	 */
	long version();

	/**
	 * Returns the runtime that runs it, as the Open Inference Protocol's model metadata names it
	 * ({@code onnxruntime_onnx} for ONNX Runtime).
	 */
	String platform();

	/**
	 * Returns where the version was loaded from, for logs and status.
	 */
	String source();

	/**
	 * Returns the inputs, in the model's order.
	 */
	List<TensorSpec> inputs();

	/**
	 * Returns the outputs, in the model's order.
	 */
	List<TensorSpec> outputs();

	/**
	 * Returns the size of what was loaded (the model file), in bytes.
	 */
	long sizeBytes();

	/**
	 * Returns when the version was loaded.
	 */
	Instant loadedAt();

	/**
	 * Returns how long loading took.
	 */
	Duration loadDuration();

	/**
	 * Runs the model.
	 * @param inputs one tensor per model input
	 * @param outputs the outputs to return, in that order; all of them, in the model's order, when empty
	 * @return the outputs
	 * @throws InvalidTensorException if the inputs or outputs do not fit the model's signature
	 * @throws RuntimeException if the runtime fails: a failure of the model, not of the request
	 */
	List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs);

}
