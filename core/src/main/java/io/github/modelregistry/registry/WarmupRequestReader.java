package io.github.modelregistry.registry;

import java.util.List;

import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.Tensor;

/**
 * Reads the warm-up requests that ship with a model version ({@code <version>/warmup/*.json} in the V2 request
 * format, read by the web layer, which knows the format). When a version has none, the registry generates one
 * request matching the model's inputs.
 */
@FunctionalInterface
public interface WarmupRequestReader {

	/**
	 * Reads no requests: every version is warmed up with a generated request.
	 */
	WarmupRequestReader NONE = (source) -> List.of();

	/**
	 * Returns the warm-up requests of a version, each a list of input tensors, in file-name order; empty if it has
	 * none.
	 * @throws Exception if a warm-up file exists but cannot be read or decoded
	 */
	List<WarmupRequest> read(ModelSource source) throws Exception;

	/**
	 * One warm-up request.
	 *
	 * @param name where it came from, for error messages
	 * @param inputs its inputs
	 */
	record WarmupRequest(String name, List<Tensor> inputs) {
	}

}
