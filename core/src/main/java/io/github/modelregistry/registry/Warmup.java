package io.github.modelregistry.registry;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.modelregistry.registry.WarmupRequestReader.WarmupRequest;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * Runs warm-up requests through a freshly loaded version before it serves, so that the first real request does
 * not pay for ONNX Runtime's lazy initialisation (tensorflow/serving #385).
 *
 * @param version the version warmed up
 * @param requests how many requests ran
 * @param fromFiles whether they came from the version's {@code warmup/} folder (otherwise one was generated)
 * @param took how long the warm-up took
 */
public record Warmup(long version, int requests, boolean fromFiles, Duration took) {

	/**
	 * Warms up {@code model}, loaded from {@code source}.
	 * @throws WarmupFailedException naming the request that failed
	 */
	static Warmup run(InferenceModel model, ModelSource source, WarmupRequestReader reader) {
		long start = System.nanoTime();
		List<WarmupRequest> requests;
		try {
			requests = reader.read(source);
		}
		catch (Exception ex) {
			throw new WarmupFailedException("Warm-up requests of model '" + model.name() + "' version "
					+ model.version() + " cannot be read: " + ex.getMessage(), ex);
		}
		boolean fromFiles = !requests.isEmpty();
		if (!fromFiles) {
			requests = List.of(new WarmupRequest("a generated request", generated(model.inputs())));
		}
		for (WarmupRequest request : requests) {
			try {
				model.run(request.inputs(), List.of());
			}
			catch (RuntimeException ex) {
				throw new WarmupFailedException("Warm-up of model '" + model.name() + "' version " + model.version()
						+ " failed on " + request.name() + ": " + ex.getMessage(), ex);
			}
		}
		return new Warmup(model.version(), requests.size(), fromFiles, Duration.ofNanos(System.nanoTime() - start));
	}

	/**
	 * One request of zeros matching the inputs, with every dynamic dimension set to 1.
	 */
	static List<Tensor> generated(List<TensorSpec> inputs) {
		List<Tensor> tensors = new ArrayList<>();
		for (TensorSpec input : inputs) {
			long[] shape = input.shape();
			int count = 1;
			for (int i = 0; i < shape.length; i++) {
				shape[i] = Math.max(1, shape[i]);
				count = Math.multiplyExact(count, (int) shape[i]);
			}
			// Zero in every datatype: 0, false, the empty string
			tensors.add(Tensor.of(input.name(), input.datatype(), shape, input.datatype().zeros(count)));
		}
		return tensors;
	}

}
