package io.github.modelregistry.registry;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * The memory budget's {@link MemoryBudget.Evictor}: unloads the least recently used evictable model, other than
 * the one loading, that is loaded and has no request inside it; when every such model has requests inside, the
 * least recently used of them, once they have left (they finish on it: an eviction never fails a request, it only
 * makes the model's next request load it again).
 * <p>
 * "Used" is the last request admitted for a model, or the last time a version of it was published
 * ({@link RegisteredModel#used()}). The search reads the models the registry serves at the time of the call; it
 * runs in the load turn ({@link ResidentMemory#TURN}), so no other load can charge or evict meanwhile, and each
 * {@link #evictOne} returns once the model's session is closed and its charge given back. A model whose unload
 * finds nothing to unload (unloaded or unregistered meanwhile) is passed over, so the search ends.
 */
final class LeastRecentlyUsedEviction implements MemoryBudget.Evictor {

	private final Supplier<Collection<RegisteredModel>> models;

	/**
	 * @param models the models the registry serves now
	 */
	LeastRecentlyUsedEviction(Supplier<Collection<RegisteredModel>> models) {
		this.models = models;
	}

	@Override
	public boolean evictOne(String loading) {
		Set<String> passedOver = new HashSet<>();
		for (;;) {
			RegisteredModel idle = null;
			RegisteredModel busy = null;
			for (RegisteredModel candidate : this.models.get()) {
				if (candidate.name().equals(loading) || passedOver.contains(candidate.name())
						|| !candidate.evictable()) {
					continue;
				}
				if (candidate.inFlightReads() == 0) {
					idle = lessRecentlyUsed(idle, candidate);
				}
				else {
					busy = lessRecentlyUsed(busy, candidate);
				}
			}
			RegisteredModel evicted = (idle != null) ? idle : busy;
			if (evicted == null) {
				return false;
			}
			if (evicted.evict()) {
				return true;
			}
			passedOver.add(evicted.name());
		}
	}

	@Override
	public long servingBytes() {
		long bytes = 0;
		for (RegisteredModel model : this.models.get()) {
			bytes += model.memoryBytes();
		}
		return bytes;
	}

	@Override
	public long evictableBytes(String loading) {
		long bytes = 0;
		for (RegisteredModel candidate : this.models.get()) {
			if (!candidate.name().equals(loading) && candidate.evictable()) {
				bytes += candidate.primaryMemoryBytes();
			}
		}
		return bytes;
	}

	private static RegisteredModel lessRecentlyUsed(@Nullable RegisteredModel oldest, RegisteredModel candidate) {
		// nanoTime values are compared by their difference, which survives the counter's wrap-around
		return (oldest == null || candidate.lastUsed() - oldest.lastUsed() < 0) ? candidate : oldest;
	}

}
