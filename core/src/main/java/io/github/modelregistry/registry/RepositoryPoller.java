package io.github.modelregistry.registry;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeMap;

import io.github.modelregistry.repository.ModelRepository.Fingerprint;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.VersionPolicy;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scans one model's location for versions to load and retire, as TensorFlow Serving's file-system source does.
 * <p>
 * A version folder is taken only when it is complete: its fingerprint (size and modification time of its model
 * file) must be the same on two scans in a row, so that a copy in progress is never loaded. A version whose load
 * failed is retried only once its file changes. A scan that lists nothing loadable (a storage blip) changes
 * nothing: the last served version is never retired because nothing is listed (tensorflow/serving #1480).
 * <p>
 * A version already served whose file changes in place (a {@code touch}, a copy over it) stays a candidate as it
 * was loaded while the file settles, so that unversioned requests never fall back to an older version meanwhile;
 * once its new fingerprint is the same on two scans, it is loaded again (and if that load fails, the previous load
 * keeps serving and the failure is not retried until the file changes again).
 * <p>
 * A model evicted to make room in the memory budget is not loaded again by a scan: a new version only becomes the
 * one its next request loads.
 * <p>
 * Not thread-safe: the model calls it under its reload lock.
 */
final class RepositoryPoller {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	private final RegisteredModel model;

	/** Each version's fingerprint at the last scan. */
	private Map<Long, Fingerprint> lastSeen = new HashMap<>();

	/** The version this poller last had the primary load, and the fingerprint it loaded it with. */
	private long primaryLoaded = -1;

	private @Nullable Fingerprint primaryLoadedWith;

	/** Versions whose load failed, with the fingerprint they failed with: retried only once the file changes. */
	private final Map<Long, Fingerprint> failed = new HashMap<>();

	RepositoryPoller(RegisteredModel model) {
		this.model = model;
	}

	/**
	 * Takes the versions present now as complete: they were there before polling started.
	 */
	void baseline() {
		for (ModelSource source : list().values()) {
			this.lastSeen.put(source.version(), ModelRepository.fingerprint(source));
		}
		Long serving = this.model.primaryVersion();
		this.primaryLoaded = (serving != null) ? serving : -1;
		this.primaryLoadedWith = (serving != null) ? this.lastSeen.get(serving) : null;
	}

	/**
	 * One scan: loads the versions the policy wants that are complete and not served yet, switches unversioned
	 * requests to the highest, and retires the versions the policy no longer wants.
	 */
	void poll(VersionPolicy policy) {
		Map<Long, Fingerprint> seen = new HashMap<>();
		NavigableMap<Long, ModelSource> candidates = new TreeMap<>();
		Set<Long> settling = new HashSet<>();
		Long serving = this.model.primaryVersion();
		for (ModelSource source : list().values()) {
			long version = source.version();
			Fingerprint fingerprint = ModelRepository.fingerprint(source);
			seen.put(version, fingerprint);
			boolean complete = fingerprint.equals(this.lastSeen.get(version));
			boolean failedBefore = fingerprint.equals(this.failed.get(version));
			boolean served = (serving != null && serving == version) || this.model.servesBeside(version);
			if (complete && !failedBefore) {
				candidates.put(version, source);
			}
			else if (served) {
				// Changing in place, or changed into a file that failed to load: it serves as loaded meanwhile
				candidates.put(version, source);
				settling.add(version);
			}
		}
		this.lastSeen = seen;
		this.failed.keySet().retainAll(seen.keySet());
		NavigableSet<Long> wanted = policy.select(candidates.navigableKeySet());
		if (wanted.isEmpty()) {
			// Nothing loadable listed: keep serving what serves (tensorflow/serving #1480)
			return;
		}
		long top = wanted.last();
		if (this.model.definition().strategy().holdsModel()) {
			for (Long version : wanted.headSet(top, false)) {
				if (!this.model.servesBeside(version) && !this.model.addSecondary(candidates.get(version))) {
					this.failed.put(version, seen.get(version));
				}
			}
		}
		boolean changedInPlace = serving != null && serving == top && this.primaryLoaded == top
				&& this.primaryLoadedWith != null && !this.primaryLoadedWith.equals(seen.get(top));
		if (!settling.contains(top) && this.model.evicted()) {
			// Unloaded to make room: loading it now would take the room back. Its next request loads the version
			// wanted, whichever that is by then
			if (serving == null || serving != top || changedInPlace) {
				this.model.retarget(candidates.get(top));
				this.primaryLoaded = top;
				this.primaryLoadedWith = seen.get(top);
			}
		}
		else if (!settling.contains(top)
				&& (serving == null || serving != top || !this.model.available() || changedInPlace)) {
			try {
				this.model.publishPrimary(candidates.get(top));
				this.primaryLoaded = top;
				this.primaryLoadedWith = seen.get(top);
				logger.info("Model '{}' version {} now serves unversioned requests ({} policy{})", this.model.name(), top,
						policy, changedInPlace ? ", its file changed in place" : "");
			}
			catch (Exception ex) {
				this.failed.put(top, seen.get(top));
			}
		}
		for (Long version : this.model.secondaryVersions()) {
			Long now = this.model.primaryVersion();
			if (!wanted.contains(version) || (now != null && now.longValue() == version)) {
				this.model.retireSecondary(version);
			}
		}
	}

	private NavigableMap<Long, ModelSource> list() {
		return this.model.list();
	}

}
