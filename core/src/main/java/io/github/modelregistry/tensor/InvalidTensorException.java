package io.github.modelregistry.tensor;

/**
 * A tensor does not fit what it is given to: an unknown or missing input, a wrong datatype or shape, an unknown
 * output. The message names what was wrong. The registry translates it into its own
 * {@code InvalidInferenceRequestException}, which every face answers as a client error.
 */
public class InvalidTensorException extends IllegalArgumentException {

	public InvalidTensorException(String message) {
		super(message);
	}

}
