/**
 * The gRPC face: the Open Inference Protocol's {@code GRPCInferenceService} over the registry, with its one table
 * from the registry's exceptions to status codes. The messages and stubs in {@code v2} are generated from
 * {@code src/main/protobuf/open_inference_grpc.proto} at build time.
 */
@NullMarked
package io.github.modelregistry.grpc;

import org.jspecify.annotations.NullMarked;
