package io.github.modelregistry.protocol.grpc;

import java.nio.ByteBuffer;

import com.google.protobuf.UnsafeByteOperations;
import io.github.modelregistry.protocol.grpc.v2.InferTensorContents;
import io.github.modelregistry.protocol.grpc.v2.ModelInferResponse;
import io.github.modelregistry.protocol.grpc.v2.ModelMetadataResponse;
import io.github.modelregistry.registry.InferenceResult;
import io.github.modelregistry.registry.ModelMetadata;
import io.github.modelregistry.tensor.ElementSink;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * Builds the gRPC face's answers from the registry's. An inference's outputs go in {@code raw_output_contents}
 * (little-endian, one entry per output, in order) when the request sent raw inputs, as Triton's clients expect, and
 * in the datatype's typed field of {@code contents} when it sent typed ones: a client gets the form it speaks.
 */
public final class GrpcResponseEncoder {

	public ModelInferResponse inference(InferenceResult result, String id, boolean raw) {
		ModelInferResponse.Builder response = ModelInferResponse.newBuilder()
			.setModelName(result.model())
			.setModelVersion(Long.toString(result.version()))
			.setId(id);
		for (Tensor output : result.outputs()) {
			ModelInferResponse.InferOutputTensor.Builder tensor = response.addOutputsBuilder()
				.setName(output.name())
				.setDatatype(output.datatype().name());
			for (long dimension : output.shape()) {
				tensor.addShape(dimension);
			}
			ByteBuffer bytes = output.bytes();
			if (raw) {
				byte[] little = new byte[bytes.remaining()];
				output.datatype().toLittleEndian(bytes, little, 0);
				// The array is this answer's alone and never written again: wrapped, not copied a second time
				response.addRawOutputContents(UnsafeByteOperations.unsafeWrap(little));
			}
			else {
				InferTensorContents.Builder contents = tensor.getContentsBuilder();
				ElementSink sink = TensorContents.of(output.datatype()).sink(contents);
				output.datatype().writeAll(bytes, sink);
			}
		}
		return response.build();
	}

	public ModelMetadataResponse metadata(ModelMetadata metadata) {
		ModelMetadataResponse.Builder response = ModelMetadataResponse.newBuilder()
			.setName(metadata.name())
			.setPlatform(metadata.platform());
		metadata.versions().forEach((version) -> response.addVersions(Long.toString(version)));
		metadata.inputs().forEach((spec) -> response.addInputs(tensor(spec)));
		metadata.outputs().forEach((spec) -> response.addOutputs(tensor(spec)));
		return response.build();
	}

	private static ModelMetadataResponse.TensorMetadata tensor(TensorSpec spec) {
		ModelMetadataResponse.TensorMetadata.Builder tensor = ModelMetadataResponse.TensorMetadata.newBuilder()
			.setName(spec.name())
			.setDatatype(spec.datatype().name());
		for (long dimension : spec.shape()) {
			tensor.addShape(dimension);
		}
		return tensor.build();
	}

}
