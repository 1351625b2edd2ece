package io.github.modelregistry.repository;

/**
 * No complete version folder of a model, or not the one asked for, exists in its repository location.
 */
public class ModelVersionNotFoundException extends RuntimeException {

	public ModelVersionNotFoundException(String message) {
		super(message);
	}

}
