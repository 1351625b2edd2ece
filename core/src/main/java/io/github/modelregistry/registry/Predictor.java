package io.github.modelregistry.registry;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import io.github.modelregistry.tensor.Tensor;

/**
 * A model as a service speaks of it: {@code predict(features)} in the service's own types, through a
 * {@link Translator}, on the model's highest served version, under the same protection, observation and metrics as
 * every other call of the registry (it is one). A predictor holds no model: a reload or a new version is seen by the
 * next call, and one predictor is shared by every thread. Made by {@link ModelRegistry#predictor(String, Translator)}.
 *
 * @param <I> what the service gives
 * @param <O> what it gets back
 */
public final class Predictor<I, O> {

	private final ModelRegistry registry;

	private final String model;

	private final Translator<I, O> translator;

	Predictor(ModelRegistry registry, String model, Translator<I, O> translator) {
		this.registry = registry;
		this.model = Objects.requireNonNull(model, "model");
		this.translator = Objects.requireNonNull(translator, "translator");
	}

	/**
	 * Runs the model on the calling thread; see {@link ModelRegistry#infer(String, Long, List, List)} for what it
	 * throws.
	 * @param input what the service gives
	 * @return the answer
	 */
	public O predict(I input) {
		List<Tensor> inputs = this.translator.inputs(input);
		return this.translator.output(input, this.registry.infer(this.model, null, inputs, this.translator.outputs()));
	}

	/**
	 * Runs the model on the registry's inference pool; the answer is made on the pool's thread. See
	 * {@link ModelRegistry#inferAsync(String, Long, List, List)}.
	 * @param input what the service gives
	 * @return the answer, or the registry's exception
	 */
	public CompletableFuture<O> predictAsync(I input) {
		List<Tensor> inputs;
		try {
			inputs = this.translator.inputs(input);
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
		return this.registry.inferAsync(this.model, null, inputs, this.translator.outputs())
			.thenApply((result) -> this.translator.output(input, result));
	}

	/**
	 * Returns the name of the model this predictor calls.
	 */
	public String model() {
		return this.model;
	}

}
