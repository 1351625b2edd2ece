package io.github.modelregistry.tensor;

/**
 * An inference request that does not fit the model: unknown or missing input, wrong datatype or shape, unknown
 * output. The message names what was wrong; the web layer answers it with 400.
 */
public class InvalidInferenceRequestException extends IllegalArgumentException {

	public InvalidInferenceRequestException(String message) {
		super(message);
	}

}
