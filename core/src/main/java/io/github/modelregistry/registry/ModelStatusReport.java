package io.github.modelregistry.registry;

import java.util.Collections;
import java.util.List;
import java.util.SortedMap;

import io.github.modelregistry.holder.HolderState;
import io.github.modelregistry.holder.HolderStrategy;
import org.jspecify.annotations.Nullable;

/**
 * Describes one model in the registry's words: its holder's state and counters translated into a
 * {@link ModelStatus}, with what is known of the version serving, its location and its last failure. Holder types
 * stop here.
 */
final class ModelStatusReport {

	private ModelStatusReport() {
	}

	static ModelStatus of(RegisteredModel model) {
		ModelDefinition definition = model.definition();
		RegisteredModel.Served served = model.served();
		// From memory: status backs readiness and health, which must never list a folder on an event loop
		List<Long> available = model.listedVersions();
		HolderState state = model.holderState();
		boolean serving = served != null && model.available();
		ModelState modelState = state(definition.strategy(), state, model.verified());
		LastError.Failure failure = model.lastError().get();
		SortedMap<Long, Long> memory = model.memoryBytesByVersion();
		// A model not loaded yet whose location already failed is reported as failed rather than empty
		if (modelState == ModelState.EMPTY && failure != null) {
			modelState = ModelState.FAILED;
		}
		ModelStatus.Counters counters = (state != null)
				? new ModelStatus.Counters(state.generation(), state.inFlightReads(), state.retiring(), state.loads(),
						state.loadFailures(), state.publishes(), state.retired())
				: new ModelStatus.Counters(0, 0, 0, 0, 0, 0, 0);
		return new ModelStatus(definition.name(), definition.strategy().value(), definition.load(),
				definition.evictable(), modelState,
				serving ? served.version() : null, serving ? served.source() : null,
				serving ? served.loadedAt() : null, serving ? served.loadDuration() : null,
				serving ? served.sizeBytes() : null, memory.values().stream().mapToLong(Long::longValue).sum(),
				Collections.unmodifiableSortedMap(memory), available, counters,
				(failure != null) ? failure.message() : null, (failure != null) ? failure.at() : null,
				model.servedVersions(), model.resolver().describe(), model.loader().lastWarmup());
	}

	/**
	 * The holder's status in the registry's words; a strategy that holds nothing is available only once a load
	 * succeeded.
	 */
	private static ModelState state(HolderStrategy strategy, @Nullable HolderState state, boolean verified) {
		if (state == null) {
			return ModelState.EMPTY;
		}
		return switch (state.status()) {
			case EMPTY -> ModelState.EMPTY;
			case LOADING -> ModelState.LOADING;
			case AVAILABLE -> (strategy.holdsModel() || verified) ? ModelState.AVAILABLE : ModelState.EMPTY;
			case FAILED -> ModelState.FAILED;
			case CLOSED -> ModelState.CLOSED;
		};
	}

}
