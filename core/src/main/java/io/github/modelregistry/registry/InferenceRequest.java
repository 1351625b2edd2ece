package io.github.modelregistry.registry;

import java.util.List;
import java.util.Objects;

import io.github.modelregistry.tensor.Tensor;

/**
 * What one inference asks of a model: its inputs, the outputs wanted, and what to do once nothing reads the inputs
 * any more.
 *
 * @param inputs one tensor per model input
 * @param outputs the names of the outputs to return; all when empty
 * @param whenDone called exactly once, when the runtime no longer reads the inputs: after the run has returned, or
 * when the request was refused before it ran. A face that decoded the inputs into pooled buffers hands them back
 * here; an inference that timed out calls it only when its run really ends.
 */
public record InferenceRequest(List<Tensor> inputs, List<String> outputs, Runnable whenDone) {

	public InferenceRequest {
		inputs = List.copyOf(inputs);
		outputs = List.copyOf(outputs);
		Objects.requireNonNull(whenDone, "whenDone");
	}

	/**
	 * A request whose inputs need nothing done afterwards (they are on the heap).
	 */
	public InferenceRequest(List<Tensor> inputs, List<String> outputs) {
		this(inputs, outputs, () -> {
		});
	}

}
