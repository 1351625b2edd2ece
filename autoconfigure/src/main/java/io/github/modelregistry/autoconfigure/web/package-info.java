/**
 * What the registry brings to an application's own web code, on either web stack: problem details for its
 * exceptions.
 */
@NullMarked
package io.github.modelregistry.autoconfigure.web;

import org.jspecify.annotations.NullMarked;
