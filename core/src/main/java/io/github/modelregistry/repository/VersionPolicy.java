package io.github.modelregistry.repository;

import java.util.Collection;
import java.util.NavigableSet;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which of a model's available versions to serve, as TensorFlow Serving's {@code model_version_policy} says it.
 * Unversioned requests go to the highest version served; versioned requests reach the others.
 */
public sealed interface VersionPolicy permits VersionPolicy.Latest, VersionPolicy.Specific {

	/**
	 * The highest version only: the default.
	 */
	VersionPolicy LATEST = new Latest(1);

	/**
	 * Returns the versions to serve out of those available, highest last.
	 */
	NavigableSet<Long> select(NavigableSet<Long> available);

	/**
	 * Returns the most versions this policy serves at once: more than one means versions served beside the one
	 * unversioned requests get.
	 */
	int mostServed();

	/**
	 * The {@code count} highest versions.
	 */
	static VersionPolicy latest(int count) {
		return new Latest(count);
	}

	/**
	 * Exactly these versions, those of them that are available.
	 */
	static VersionPolicy specific(Collection<Long> versions) {
		return new Specific(new TreeSet<>(versions));
	}

	/**
	 * The {@code count} highest available versions.
	 *
	 * @param count how many, at least 1
	 */
	record Latest(int count) implements VersionPolicy {

		public Latest {
			if (count < 1) {
				throw new IllegalArgumentException("A latest version policy serves at least 1 version, not " + count);
			}
		}

		@Override
		public NavigableSet<Long> select(NavigableSet<Long> available) {
			NavigableSet<Long> selected = new TreeSet<>();
			for (Long version : available.descendingSet()) {
				if (selected.size() == this.count) {
					break;
				}
				selected.add(version);
			}
			return selected;
		}

		@Override
		public int mostServed() {
			return this.count;
		}

		@Override
		public String toString() {
			return (this.count == 1) ? "latest" : "latest " + this.count;
		}

	}

	/**
	 * Exactly the given versions.
	 *
	 * @param versions the versions, positive
	 */
	record Specific(SortedSet<Long> versions) implements VersionPolicy {

		public Specific {
			if (versions.isEmpty() || versions.first() < 1) {
				throw new IllegalArgumentException("A specific version policy needs positive versions, not " + versions);
			}
			versions = java.util.Collections.unmodifiableSortedSet(new TreeSet<>(versions));
		}

		@Override
		public NavigableSet<Long> select(NavigableSet<Long> available) {
			NavigableSet<Long> selected = new TreeSet<>(available);
			selected.retainAll(this.versions);
			return selected;
		}

		@Override
		public int mostServed() {
			return this.versions.size();
		}

		@Override
		public String toString() {
			return "specific " + this.versions;
		}

	}

}
