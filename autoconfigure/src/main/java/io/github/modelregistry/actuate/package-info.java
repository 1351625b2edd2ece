/**
 * Operating models with Actuator: the {@code models} endpoint (status and reload), a health contributor per model,
 * and Micrometer metrics.
 */
@NullMarked
package io.github.modelregistry.actuate;

import org.jspecify.annotations.NullMarked;
