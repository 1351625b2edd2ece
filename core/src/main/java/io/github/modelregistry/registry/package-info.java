/**
 * The {@link io.github.modelregistry.registry.ModelRegistry}: named, versioned ONNX models, each in a
 * {@link io.github.modelregistry.holder.ModelHolder} of its strategy, loaded, served and reloaded.
 */
@NullMarked
package io.github.modelregistry.registry;

import org.jspecify.annotations.NullMarked;
