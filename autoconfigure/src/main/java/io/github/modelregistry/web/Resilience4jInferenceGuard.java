package io.github.modelregistry.web;

import java.time.Duration;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.registry.ModelNotFoundException;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadFullException;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.reactor.bulkhead.operator.BulkheadOperator;
import io.github.resilience4j.reactor.circuitbreaker.operator.CircuitBreakerOperator;
import io.github.resilience4j.reactor.timelimiter.TimeLimiterOperator;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.http.HttpStatus;

/**
 * Guards inference with Resilience4j instances named after the model, configured with Resilience4j's own
 * properties ({@code resilience4j.bulkhead.instances.<model>.*}, {@code resilience4j.timelimiter...},
 * {@code resilience4j.circuitbreaker...}; {@code configs.default} is the shared default).
 * <p>
 * Order, innermost first, as Resilience4j recommends: bulkhead, time limiter, circuit breaker. The bulkhead is
 * acquired when the request subscribes, on the event loop, before anything is queued: a full bulkhead is answered
 * at once with 429, never after a wait in the inference queue. A request that times out is answered with 504;
 * ONNX Runtime cannot be interrupted, so its inference finishes in the background, but its bulkhead permit is
 * released and the client is free. A client's mistake (400, 404) and a full bulkhead are not failures of the
 * model: they pass the circuit breaker as successes, so that bad requests or a burst cannot open the circuit for
 * everyone.
 * <p>
 * Only names the registry serves get instances, so that requests for made-up model names cannot grow the
 * Resilience4j registries without bound.
 */
public class Resilience4jInferenceGuard implements InferenceGuard {

	private final Predicate<String> knownModels;

	private final @Nullable BulkheadRegistry bulkheads;

	private final @Nullable TimeLimiterRegistry timeLimiters;

	private final @Nullable CircuitBreakerRegistry circuitBreakers;

	/**
	 * @param knownModels which model names are served
	 * @param bulkheads the bulkheads, or {@code null} for none
	 * @param timeLimiters the time limiters, or {@code null} for none
	 * @param circuitBreakers the circuit breakers, or {@code null} for none
	 */
	public Resilience4jInferenceGuard(Predicate<String> knownModels, @Nullable BulkheadRegistry bulkheads,
			@Nullable TimeLimiterRegistry timeLimiters, @Nullable CircuitBreakerRegistry circuitBreakers) {
		this.knownModels = knownModels;
		this.bulkheads = bulkheads;
		this.timeLimiters = timeLimiters;
		this.circuitBreakers = circuitBreakers;
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> Mono<T> guard(String model, Mono<T> inference) {
		if (!this.knownModels.test(model)) {
			return inference;
		}
		Mono<Object> guarded = inference.map((value) -> (Object) value)
			.onErrorResume(Resilience4jInferenceGuard::isClientError, (ex) -> Mono.just(new NotAFailure(ex)));
		if (this.bulkheads != null) {
			// A full bulkhead says the server is busy, not that the model fails: carry it past the circuit breaker
			guarded = guarded.transform(BulkheadOperator.of(this.bulkheads.bulkhead(model)))
				.onErrorResume(BulkheadFullException.class, (ex) -> Mono.just(new NotAFailure(ex)));
		}
		if (this.timeLimiters != null) {
			guarded = guarded.transform(TimeLimiterOperator.of(this.timeLimiters.timeLimiter(model)));
		}
		if (this.circuitBreakers != null) {
			guarded = guarded.transform(CircuitBreakerOperator.of(this.circuitBreakers.circuitBreaker(model)));
		}
		return guarded
			.flatMap((value) -> (value instanceof NotAFailure passed) ? Mono.error(passed.error())
					: Mono.just((T) value))
			.onErrorMap((ex) -> translate(model, ex));
	}

	private static boolean isClientError(Throwable ex) {
		return (ex instanceof V2Exception v2 && v2.getStatus().is4xxClientError())
				|| ex instanceof InvalidTensorException || ex instanceof ModelNotFoundException;
	}

	private Throwable translate(String model, Throwable ex) {
		if (ex instanceof BulkheadFullException && this.bulkheads != null) {
			Bulkhead bulkhead = this.bulkheads.bulkhead(model);
			return new V2Exception(HttpStatus.TOO_MANY_REQUESTS, "Model '" + model + "' is already running its limit of "
					+ bulkhead.getBulkheadConfig().getMaxConcurrentCalls() + " concurrent inferences "
					+ "(resilience4j.bulkhead.instances." + model + ".max-concurrent-calls); retry later",
					Duration.ofSeconds(1));
		}
		if (ex instanceof TimeoutException && this.timeLimiters != null) {
			TimeLimiter timeLimiter = this.timeLimiters.timeLimiter(model);
			return new V2Exception(HttpStatus.GATEWAY_TIMEOUT, "Inference of model '" + model + "' took longer than "
					+ timeLimiter.getTimeLimiterConfig().getTimeoutDuration().toMillis()
					+ " ms (resilience4j.timelimiter.instances." + model + ".timeout-duration)");
		}
		if (ex instanceof CallNotPermittedException && this.circuitBreakers != null) {
			CircuitBreaker circuitBreaker = this.circuitBreakers.circuitBreaker(model);
			Duration wait = Duration
				.ofMillis(circuitBreaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1));
			return new V2Exception(HttpStatus.SERVICE_UNAVAILABLE, "Model '" + model + "' failed too often: its "
					+ "circuit breaker is " + circuitBreaker.getState() + " and rejects inferences for now "
					+ "(resilience4j.circuitbreaker.instances." + model + ")", wait);
		}
		return ex;
	}

	/**
	 * An error that is not the model's fault (a client's mistake, a full bulkhead), carried through the circuit
	 * breaker as a value so that it does not count as a failure.
	 */
	private record NotAFailure(Throwable error) {
	}

}
