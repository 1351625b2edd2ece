package io.github.modelregistry.registry;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names an inference's observation and its key values; {@link DefaultInferenceObservationConvention} unless the
 * registry is given another ({@link ModelRegistry.Builder#observationConvention}, or a bean of this type).
 */
public interface InferenceObservationConvention extends ObservationConvention<InferenceObservationContext> {

	@Override
	default boolean supportsContext(Observation.Context context) {
		return context instanceof InferenceObservationContext;
	}

}
