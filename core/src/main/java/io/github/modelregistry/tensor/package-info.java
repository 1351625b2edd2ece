/**
 * What requests and answers are made of, shared by every layer above: {@link io.github.modelregistry.tensor.Tensor},
 * {@link io.github.modelregistry.tensor.TensorSpec}, {@link io.github.modelregistry.tensor.TensorDatatype} (each
 * datatype's behaviour, written once) and the {@link io.github.modelregistry.tensor.TensorBufferPool}. Plain Java:
 * no Spring, no ONNX Runtime.
 */
@NullMarked
package io.github.modelregistry.tensor;

import org.jspecify.annotations.NullMarked;
