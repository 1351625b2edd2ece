/**
 * The registry's protection ({@link io.github.modelregistry.registry.InferenceProtection}) by Resilience4j's
 * bulkhead, time limiter and circuit breaker.
 */
@NullMarked
package io.github.modelregistry.resilience4j;

import org.jspecify.annotations.NullMarked;
