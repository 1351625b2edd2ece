package io.github.modelregistry.holder;

/**
 * Thrown when a strategy does not replace its model: {@link HolderStrategy#STATIC static} holds one model for its
 * whole life and {@link HolderStrategy#PER_REQUEST per-request} holds none. The web and Actuator layers answer it
 * with 409 Conflict.
 */
public class PublishRefusedException extends RuntimeException {

	private final HolderStrategy strategy;

	public PublishRefusedException(HolderStrategy strategy, String reason) {
		super("The " + strategy.value() + " strategy does not replace its model: " + reason);
		this.strategy = strategy;
	}

	/**
	 * Returns the strategy that refused.
	 * @return the strategy
	 */
	public HolderStrategy getStrategy() {
		return this.strategy;
	}

}
