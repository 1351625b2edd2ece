package io.github.modelregistry.web;

import reactor.core.publisher.Mono;

/**
 * Protects inference for one model: bounds how many run at once, how long one may take, and stops calling a
 * model that keeps failing. Failures it raises are {@link V2Exception}s with the status a client should see.
 */
@FunctionalInterface
public interface InferenceGuard {

	/**
	 * A guard that lets everything through.
	 */
	InferenceGuard NONE = new InferenceGuard() {

		@Override
		public <T> Mono<T> guard(String model, Mono<T> inference) {
			return inference;
		}

	};

	/**
	 * Returns {@code inference} protected for {@code model}.
	 */
	<T> Mono<T> guard(String model, Mono<T> inference);

}
