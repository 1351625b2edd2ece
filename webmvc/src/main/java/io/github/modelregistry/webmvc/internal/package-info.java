/**
 * The Spring MVC face's machinery: the Open Inference Protocol (KServe V2 REST) as an asynchronous servlet on the
 * container's non-blocking I/O, and the guards of the servlet container it runs on. Internal: public only so that
 * the face's auto-configuration can make its beans; applications configure the face with
 * {@code model-registry.web.*} and call the registry, and these types may change in any release.
 */
@NullMarked
package io.github.modelregistry.webmvc.internal;

import org.jspecify.annotations.NullMarked;
