package io.github.modelregistry.registry;

import java.util.List;

import io.github.modelregistry.tensor.TensorSpec;

/**
 * What a model accepts and returns.
 *
 * @param name the model name
 * @param versions the versions served
 * @param platform the runtime, as the Open Inference Protocol names it ({@code onnxruntime_onnx} for ONNX Runtime)
 * @param strategy how the model is held, as users write it
 * @param inputs the inputs
 * @param outputs the outputs
 */
public record ModelMetadata(String name, List<Long> versions, String platform, String strategy,
		List<TensorSpec> inputs, List<TensorSpec> outputs) {

}
