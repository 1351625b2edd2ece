/**
 * Pipelines: Java stages before and after a model's runtime, served as one model (what Triton calls an ensemble).
 * A {@link io.github.modelregistry.pipeline.Pipeline} turns each loaded version of a model into a
 * {@link io.github.modelregistry.pipeline.PipelineModel}, whose stages are built from the same version folder, so
 * that a reload swaps all of it. Depends on the tensors and the repository, not on the registry.
 */
@NullMarked
package io.github.modelregistry.pipeline;

import org.jspecify.annotations.NullMarked;
