/**
 * ONNX Runtime adapter: loads {@code .onnx} files into sessions, describes their inputs and outputs, and runs
 * requests with typed tensors, closing every native tensor and result it creates.
 */
@NullMarked
package io.github.modelregistry.onnx;

import org.jspecify.annotations.NullMarked;
