/**
 * Auto-configuration of the model registry from {@code model-registry.*} properties.
 */
@NullMarked
package io.github.modelregistry.autoconfigure;

import org.jspecify.annotations.NullMarked;
