package io.github.modelregistry.registry;

import java.util.List;

import io.github.modelregistry.tensor.Tensor;

/**
 * Turns a service's own type into a model's input tensors and the model's outputs into the service's answer, so that
 * a service calls {@code predictor.predict(features)} and gets its own type back ({@link Predictor}). After DJL's
 * {@code Translator}; a translator is stateless and shared by every call, on any thread.
 *
 * @param <I> what the service gives
 * @param <O> what it gets back
 */
public interface Translator<I, O> {

	/**
	 * Returns the model's input tensors for one call.
	 * @param input what the service gives
	 * @return one tensor per model input
	 */
	List<Tensor> inputs(I input);

	/**
	 * Returns the service's answer from the model's outputs.
	 * @param input what the service gave, for an answer that pairs it with the outputs (candidates with their
	 * scores)
	 * @param result the outputs ({@link #outputs()}, or all) and the version that produced them
	 * @return the answer
	 */
	O output(I input, InferenceResult result);

	/**
	 * Returns the outputs to ask the model for; all of them when empty (the default).
	 */
	default List<String> outputs() {
		return List.of();
	}

}
