/**
 * The on-disk layout TensorFlow Serving and Triton use: {@code <base>/<model>/<version>/model.onnx}, with positive
 * integer versions, on the file system or the class path.
 */
@NullMarked
package io.github.modelregistry.repository;

import org.jspecify.annotations.NullMarked;
