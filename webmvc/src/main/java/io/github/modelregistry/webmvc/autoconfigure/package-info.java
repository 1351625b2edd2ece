/**
 * Auto-configuration of the Open Inference Protocol's REST face in a Spring MVC (servlet) application.
 */
@NullMarked
package io.github.modelregistry.webmvc.autoconfigure;

import org.jspecify.annotations.NullMarked;
