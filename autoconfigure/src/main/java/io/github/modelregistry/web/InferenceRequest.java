package io.github.modelregistry.web;

import java.util.List;

import io.github.modelregistry.onnx.Tensor;
import org.jspecify.annotations.Nullable;

/**
 * A decoded V2 inference request.
 *
 * @param id the request id, echoed in the response, or {@code null}
 * @param inputs the input tensors
 * @param outputs the names of the outputs asked for; empty for all
 */
public record InferenceRequest(@Nullable String id, List<Tensor> inputs, List<String> outputs) {

}
