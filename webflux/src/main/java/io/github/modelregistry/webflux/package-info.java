/**
 * The Open Inference Protocol (KServe V2 REST) on WebFlux functional endpoints: health, server and model metadata,
 * readiness, and inference, with the protocol's JSON errors.
 */
@NullMarked
package io.github.modelregistry.webflux;

import org.jspecify.annotations.NullMarked;
