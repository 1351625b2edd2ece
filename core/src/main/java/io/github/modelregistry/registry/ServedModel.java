package io.github.modelregistry.registry;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

import io.github.modelregistry.registry.InferenceProtection.ModelProtection;
import org.jspecify.annotations.Nullable;

/**
 * Everything that serves one model name: its versions ({@link RegisteredModel}), its protection, whether its
 * inferences may run on the caller's thread, its batcher, the in-code model it lends (if it is one), and its
 * background schedule (a poll or a listing refresh), set once it is started.
 */
record ServedModel(RegisteredModel registered, ModelProtection protection, CallerRuns callerRuns,
		@Nullable Batcher batcher, @Nullable InCodeModel inCode, AtomicReference<ScheduledFuture<?>> schedule) {

	String name() {
		return this.registered.name();
	}

	/**
	 * Stops its background schedule, if it has one.
	 */
	void unschedule() {
		ScheduledFuture<?> scheduled = this.schedule.get();
		if (scheduled != null) {
			scheduled.cancel(false);
		}
	}

}
