/**
 * The WebFlux face's machinery: the Open Inference Protocol (KServe V2 REST) on functional endpoints (health, server
 * and model metadata, readiness, inference, the repository extension) and the guards of the Reactor Netty servers it
 * runs on. Internal: public only so that the face's auto-configuration can make its beans; applications configure
 * the face with {@code model-registry.web.*} and call the registry, and these types may change in any release.
 */
@NullMarked
package io.github.modelregistry.webflux.internal;

import org.jspecify.annotations.NullMarked;
