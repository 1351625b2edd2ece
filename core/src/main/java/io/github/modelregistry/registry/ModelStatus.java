package io.github.modelregistry.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedMap;

import org.jspecify.annotations.Nullable;

/**
 * What a model is doing.
 *
 * @param name the model name
 * @param strategy how it is held, as users write it ({@code sharded-rcu}, {@code rwlock}, ...)
 * @param load when it loads
 * @param evictable whether the registry may unload it to make room in its memory budget (its next request loads it
 * again)
 * @param state whether it can serve
 * @param version the version serving (for {@code per-request}: the one each request loads), or {@code null}
 * @param source where that version was loaded from
 * @param loadedAt when it was loaded
 * @param loadDuration how long loading it took
 * @param sizeBytes the size of its model file
 * @param memoryBytes the native memory charged for the versions it holds: each one's growth of the process's
 * resident memory while it loaded, at least its file's size; 0 when it holds none
 * @param memoryBytesByVersion the same, for each version it holds, lowest version first
 * @param availableVersions the complete versions found in the model's location
 * @param counters what the model's holder has done
 * @param lastError the last load or reload failure, or {@code null}
 * @param lastErrorAt when it happened
 * @param servedVersions every version served: {@code version} and, with a policy that serves several, the others
 * @param policy which versions the model serves
 * @param lastWarmup the warm-up of the most recently loaded version, or {@code null}
 */
public record ModelStatus(String name, String strategy, LoadMode load, boolean evictable, ModelState state, @Nullable Long version,
		@Nullable String source, @Nullable Instant loadedAt, @Nullable Duration loadDuration, @Nullable Long sizeBytes,
		long memoryBytes, SortedMap<Long, Long> memoryBytesByVersion, List<Long> availableVersions, Counters counters, @Nullable String lastError, @Nullable Instant lastErrorAt,
		List<Long> servedVersions, String policy, @Nullable Warmup lastWarmup) {

	/**
	 * What the holder of the version serving unversioned requests has done. Read one after another without a lock:
	 * a snapshot taken during a publish may mix values from just before and just after it.
	 *
	 * @param generation generation of the model serving now: 1 for the first, one more per publish, 0 before any
	 * @param inFlightReads inferences inside the model right now
	 * @param retiring replaced versions waiting for their last reader before they close
	 * @param loads successful loads
	 * @param loadFailures failed loads
	 * @param publishes versions that started serving, the first one included
	 * @param retired replaced versions that were closed
	 */
	public record Counters(long generation, long inFlightReads, int retiring, long loads, long loadFailures,
			long publishes, long retired) {
	}

}
