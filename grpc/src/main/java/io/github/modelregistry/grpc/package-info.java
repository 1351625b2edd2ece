/**
 * The gRPC face: the Open Inference Protocol's {@code GRPCInferenceService} over the registry, with its one table
 * from the registry's exceptions to status codes, its
 * interceptors (message time-out, a parser that never throws) and the server's limits. The messages and their codecs
 * are the protocol module's.
 */
@NullMarked
package io.github.modelregistry.grpc;

import org.jspecify.annotations.NullMarked;
