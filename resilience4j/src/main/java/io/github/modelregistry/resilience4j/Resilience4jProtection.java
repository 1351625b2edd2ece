package io.github.modelregistry.resilience4j;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.modelregistry.registry.InferenceProtection;
import io.github.modelregistry.registry.ModelOverloadedException;
import io.github.modelregistry.registry.ModelUnavailableException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Protection by Resilience4j instances named after the model, configured with Resilience4j's own properties
 * ({@code resilience4j.bulkhead.instances.<model>.*}, {@code resilience4j.timelimiter...},
 * {@code resilience4j.circuitbreaker...}; {@code configs.default} is the shared default), so that its metrics,
 * events and health indicators work as for any other Resilience4j instance.
 * <p>
 * Order, outermost first, as Resilience4j recommends: circuit breaker, time limiter, bulkhead. An open circuit
 * refuses at once without taking a bulkhead permit; a full bulkhead refuses at once (never after a wait) and hands
 * the circuit breaker's permission back uncounted. The instances are used through their permission APIs
 * ({@code tryAcquirePermission}, {@code onSuccess}, {@code onError}, {@code releasePermission}), which is what lets
 * the registry count only the model's own failures: a client's mistake, a caller that went away or a refused call
 * is {@link InferenceProtection.Permit#ignored ignored}, never a failure.
 */
public final class Resilience4jProtection implements InferenceProtection {

	private final @Nullable BulkheadRegistry bulkheads;

	private final @Nullable TimeLimiterRegistry timeLimiters;

	private final @Nullable CircuitBreakerRegistry circuitBreakers;

	/**
	 * @param bulkheads the bulkheads, or {@code null} for none
	 * @param timeLimiters the time limiters, or {@code null} for none
	 * @param circuitBreakers the circuit breakers, or {@code null} for none
	 */
	public Resilience4jProtection(@Nullable BulkheadRegistry bulkheads, @Nullable TimeLimiterRegistry timeLimiters,
			@Nullable CircuitBreakerRegistry circuitBreakers) {
		this.bulkheads = bulkheads;
		this.timeLimiters = timeLimiters;
		this.circuitBreakers = circuitBreakers;
	}

	@Override
	public ModelProtection forModel(String model) {
		return new Instances(model, (this.bulkheads != null) ? this.bulkheads.bulkhead(model) : null,
				(this.timeLimiters != null) ? this.timeLimiters.timeLimiter(model) : null,
				(this.circuitBreakers != null) ? this.circuitBreakers.circuitBreaker(model) : null);
	}

	@Override
	public void forget(String model) {
		if (this.bulkheads != null) {
			this.bulkheads.remove(model);
		}
		if (this.timeLimiters != null) {
			this.timeLimiters.remove(model);
		}
		if (this.circuitBreakers != null) {
			this.circuitBreakers.remove(model);
		}
	}

	/**
	 * One model's instances.
	 */
	private record Instances(String model, @Nullable Bulkhead bulkhead, @Nullable TimeLimiter timeLimiter,
			@Nullable CircuitBreaker circuitBreaker) implements ModelProtection {

		@Override
		public Permit acquire() {
			CircuitBreaker circuitBreaker = this.circuitBreaker;
			if (circuitBreaker != null && !circuitBreaker.tryAcquirePermission()) {
				Duration wait = Duration.ofMillis(
						circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
				throw new ModelUnavailableException("Model '" + this.model + "' failed too often: its circuit "
						+ "breaker is " + circuitBreaker.getState() + " and rejects inferences for now "
						+ "(resilience4j.circuitbreaker.instances." + this.model + ")", wait);
			}
			Bulkhead bulkhead = this.bulkhead;
			if (bulkhead != null && !bulkhead.tryAcquirePermission()) {
				if (circuitBreaker != null) {
					// A full bulkhead says the server is busy, not that the model fails
					circuitBreaker.releasePermission();
				}
				throw new ModelOverloadedException("Model '" + this.model + "' is already running its limit of "
						+ bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " concurrent inferences "
						+ "(resilience4j.bulkhead.instances." + this.model + ".max-concurrent-calls); retry later",
						Duration.ofSeconds(1));
			}
			return new Admitted(bulkhead, circuitBreaker);
		}

		@Override
		public @Nullable Duration timeLimit() {
			return (this.timeLimiter != null) ? this.timeLimiter.getTimeLimiterConfig().getTimeoutDuration() : null;
		}

		@Override
		public void timedOut(Duration limit) {
			if (this.timeLimiter != null) {
				this.timeLimiter.onError(new TimeoutException("Inference of model '" + this.model
						+ "' took longer than " + limit.toMillis() + " ms"));
			}
		}

	}

	/**
	 * The permissions one inference holds.
	 */
	private record Admitted(@Nullable Bulkhead bulkhead, @Nullable CircuitBreaker circuitBreaker) implements Permit {

		@Override
		public void succeeded(long nanos) {
			if (this.circuitBreaker != null) {
				this.circuitBreaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
			}
		}

		@Override
		public void failed(long nanos, Throwable failure) {
			if (this.circuitBreaker != null) {
				this.circuitBreaker.onError(nanos, TimeUnit.NANOSECONDS, failure);
			}
		}

		@Override
		public void ignored() {
			if (this.circuitBreaker != null) {
				this.circuitBreaker.releasePermission();
			}
		}

		@Override
		public void release() {
			if (this.bulkhead != null) {
				this.bulkhead.onComplete();
			}
		}

	}

}
