/**
 * The Open Inference Protocol's gRPC messages and their codecs: a bounded pre-scan of a request's wire bytes, the
 * request decoder and response encoder, and each datatype's typed contents. The messages and stubs in {@code v2}
 * are generated from {@code src/main/protobuf/open_inference_grpc.proto} at build time. Every gRPC face and the
 * client share it; application code does not need it.
 */
@NullMarked
package io.github.modelregistry.protocol.grpc;

import org.jspecify.annotations.NullMarked;
