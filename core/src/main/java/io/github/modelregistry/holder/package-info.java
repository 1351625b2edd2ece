/**
 * Ways of holding a shared, closeable, read-mostly model under heavy concurrency: the
 * {@link io.github.modelregistry.holder.ModelHolder} contract and its strategies.
 * <p>
 * Plain Java: no Spring and no ONNX Runtime, so the strategies can hold anything
 * {@link java.lang.AutoCloseable} and are tested on fake models that detect use after close.
 */
@NullMarked
package io.github.modelregistry.holder;

import org.jspecify.annotations.NullMarked;
