package io.github.modelregistry.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.modelregistry.holder.HolderState;
import io.github.modelregistry.holder.HolderStrategy;
import org.jspecify.annotations.Nullable;

/**
 * What a model is doing.
 *
 * @param name the model name
 * @param strategy how it is held
 * @param load when it loads
 * @param state whether it can serve
 * @param version the version serving (for {@code per-request}: the one each request loads), or {@code null}
 * @param source where that version was loaded from
 * @param loadedAt when it was loaded
 * @param loadDuration how long loading it took
 * @param sizeBytes the size of its model file
 * @param availableVersions the complete versions found in the model's location
 * @param holder the holder's counters
 * @param lastError the last load or reload failure, or {@code null}
 * @param lastErrorAt when it happened
 * @param servedVersions every version served: {@code version} and, with a policy that serves several, the others
 * @param policy which versions the model serves
 * @param lastWarmup the warm-up of the most recently loaded version, or {@code null}
 */
public record ModelStatus(String name, HolderStrategy strategy, LoadMode load, HolderState.Status state,
		@Nullable Long version, @Nullable String source, @Nullable Instant loadedAt, @Nullable Duration loadDuration,
		@Nullable Long sizeBytes, List<Long> availableVersions, HolderState holder, @Nullable String lastError,
		@Nullable Instant lastErrorAt, List<Long> servedVersions, String policy, @Nullable Warmup lastWarmup) {

}
