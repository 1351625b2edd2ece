package io.github.modelregistry.registry;

import org.jspecify.annotations.Nullable;

/**
 * An inference request does not fit the model: an unknown or missing input, a wrong datatype or shape, an unknown
 * output, or content a face could not decode. The message names what was wrong.
 */
public class InvalidInferenceRequestException extends ModelRegistryException {

	public InvalidInferenceRequestException(String message) {
		this(message, null);
	}

	public InvalidInferenceRequestException(String message, @Nullable Throwable cause) {
		super(message, cause, null);
	}

	@Override
	public boolean isClientFault() {
		return true;
	}

}
