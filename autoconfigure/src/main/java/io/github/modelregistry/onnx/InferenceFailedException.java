package io.github.modelregistry.onnx;

/**
 * ONNX Runtime failed to run a request that fitted the model's signature.
 */
public class InferenceFailedException extends RuntimeException {

	public InferenceFailedException(String message, Throwable cause) {
		super(message, cause);
	}

}
