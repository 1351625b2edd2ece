package io.github.modelregistry.registry;

import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;

import io.github.modelregistry.repository.ModelRepository.Fingerprint;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.VersionPolicy;
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
 * Not thread-safe: the model calls it under its reload lock.
 */
final class RepositoryPoller {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	private final RegisteredModel model;

	/** Each version's fingerprint at the last scan. */
	private Map<Long, Fingerprint> lastSeen = new HashMap<>();

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
	}

	/**
	 * One scan: loads the versions the policy wants that are complete and not served yet, switches unversioned
	 * requests to the highest, and retires the versions the policy no longer wants.
	 */
	void poll(VersionPolicy policy) {
		Map<Long, Fingerprint> seen = new HashMap<>();
		NavigableMap<Long, ModelSource> candidates = new TreeMap<>();
		for (ModelSource source : list().values()) {
			Fingerprint fingerprint = ModelRepository.fingerprint(source);
			seen.put(source.version(), fingerprint);
			boolean complete = fingerprint.equals(this.lastSeen.get(source.version()));
			boolean failedBefore = fingerprint.equals(this.failed.get(source.version()));
			if (complete && !failedBefore) {
				candidates.put(source.version(), source);
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
		Long serving = this.model.primaryVersion();
		if (serving == null || serving != top || !this.model.available()) {
			try {
				this.model.publishPrimary(candidates.get(top));
				logger.info("Model '{}' version {} now serves unversioned requests ({} policy)",
						this.model.name(), top, policy);
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
