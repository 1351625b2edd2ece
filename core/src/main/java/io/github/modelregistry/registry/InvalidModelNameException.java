package io.github.modelregistry.registry;

/**
 * A model to register was named with something that is not a folder name inside the registry's base path: a path,
 * {@code ..}, a character outside letters, digits, {@code .}, {@code _} and {@code -}, or a folder that a symbolic
 * link takes outside the base. Nothing changed.
 */
public class InvalidModelNameException extends InvalidRegistrationException {

	public InvalidModelNameException(String message) {
		super(message);
	}

}
