/**
 * The gRPC face's machinery: the Open Inference Protocol's {@code GRPCInferenceService} over the registry, its
 * interceptors (message time-out, a parser that never throws) and the server's limits; the messages, their codecs
 * and the table of status codes are the protocol module's. Internal: public only so that the face's
 * auto-configuration can make its beans; applications configure the face with {@code model-registry.grpc.*} and call
 * the registry, and these types may change in any release.
 */
@NullMarked
package io.github.modelregistry.grpc.internal;

import org.jspecify.annotations.NullMarked;
