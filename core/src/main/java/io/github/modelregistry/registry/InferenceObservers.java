package io.github.modelregistry.registry;

import java.util.List;

import io.github.modelregistry.registry.ModelRegistryObserver.InferenceOutcome;
import org.jspecify.annotations.Nullable;

/**
 * Tells the registry's observers how an inference ended.
 */
final class InferenceObservers {

	private InferenceObservers() {
	}

	static void observe(List<ModelRegistryObserver> observers, RegisteredModel model, @Nullable Long version,
			long waitNanos, long totalNanos, InferenceOutcome outcome) {
		for (ModelRegistryObserver observer : observers) {
			observer.inferred(model.name(), model.definition().strategy().value(), version, waitNanos, totalNanos,
					outcome);
		}
	}

}
