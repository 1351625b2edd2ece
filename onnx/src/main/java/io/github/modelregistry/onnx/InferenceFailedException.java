package io.github.modelregistry.onnx;

/**
 * ONNX Runtime failed to run a request that fitted the model's signature.
 */
class InferenceFailedException extends RuntimeException {

	InferenceFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
