/**
 * The Open Inference Protocol (KServe V2) over HTTP, with no web framework: the JSON request decoder and response
 * encoder, the binary tensor data extension, the repository extension's load parameters, warm-up requests, and the
 * one table from the registry's exceptions to HTTP statuses. Every REST face (WebFlux, MVC) and the client share it;
 * application code does not need it.
 */
@NullMarked
package io.github.modelregistry.protocol;

import org.jspecify.annotations.NullMarked;
