package io.github.modelregistry.holder;

/**
 * Thrown when a holder is used after {@link ModelHolder#close()}.
 */
public class HolderClosedException extends ModelUnavailableException {

	public HolderClosedException(HolderStrategy strategy) {
		super("The " + strategy.value() + " model holder is closed");
	}

}
