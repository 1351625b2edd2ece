package io.github.modelregistry.registry;

import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import io.micrometer.observation.Observation;
import org.jspecify.annotations.Nullable;

/**
 * What an {@link InferenceObservationConvention} and an observation handler know of one inference: the model, how
 * it is held, and once it has ended, the version that ran, the outcome and where its time went. The phases follow
 * one another: waiting for a permit (the model's bulkhead), in the queue (for a thread of the inference pool, or for
 * a batch), for the holder (a lock, a lazy load), and the run itself.
 */
public final class InferenceObservationContext extends Observation.Context {

	private final String model;

	private final String strategy;

	private @Nullable Long version;

	private InferenceOutcome outcome = InferenceOutcome.SUCCESS;

	private long permitNanos;

	private long queueNanos;

	private long holderNanos;

	private long runNanos;

	InferenceObservationContext(String model, String strategy) {
		this.model = model;
		this.strategy = strategy;
	}

	/**
	 * Returns the model's name.
	 */
	public String getModel() {
		return this.model;
	}

	/**
	 * Returns how the model is held, as users write it ({@code sharded-rcu}, ...).
	 */
	public String getStrategy() {
		return this.strategy;
	}

	/**
	 * Returns the version that ran, or {@code null} if none did (refused, timed out, not found).
	 */
	public @Nullable Long getVersion() {
		return this.version;
	}

	/**
	 * Returns how the inference ended; {@code SUCCESS} until it has.
	 */
	public InferenceOutcome getOutcome() {
		return this.outcome;
	}

	/**
	 * Returns the time spent waiting for a permit, in nanoseconds.
	 */
	public long getPermitNanos() {
		return this.permitNanos;
	}

	/**
	 * Returns the time spent queued for a thread or a batch, in nanoseconds.
	 */
	public long getQueueNanos() {
		return this.queueNanos;
	}

	/**
	 * Returns the time spent waiting for the holder to let the run in (a lock, a lazy load), in nanoseconds.
	 */
	public long getHolderNanos() {
		return this.holderNanos;
	}

	/**
	 * Returns the time the model ran, in nanoseconds.
	 */
	public long getRunNanos() {
		return this.runNanos;
	}

	void ended(@Nullable Long version, InferenceOutcome outcome, long permitNanos, long queueNanos, long holderNanos,
			long runNanos) {
		this.version = version;
		this.outcome = outcome;
		this.permitNanos = permitNanos;
		this.queueNanos = queueNanos;
		this.holderNanos = holderNanos;
		this.runNanos = runNanos;
	}

}
