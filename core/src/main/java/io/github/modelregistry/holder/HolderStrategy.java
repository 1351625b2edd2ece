package io.github.modelregistry.holder;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The ways a {@link ModelHolder} can hold its model. {@link #value()} is the kebab-case name used everywhere a user
 * chooses a strategy: properties, logs, metric tags, benchmark parameters.
 */
public enum HolderStrategy {

	/**
	 * Readers register in one of several padded per-thread shards of the current version and re-check the version
	 * pointer; a publisher swaps the pointer and the old version is closed once its shards drain. Readers never
	 * block and never write a shared cache line. TensorFlow Serving's read pattern, without its reader mutex.
	 */
	SHARDED_RCU("sharded-rcu", true, true, false, true),

	/**
	 * Reads under a {@link java.util.concurrent.locks.ReentrantReadWriteLock} read lock; publish swaps under the
	 * write lock.
	 */
	RWLOCK("rwlock", true, true, false, false),

	/**
	 * One exclusive lock held for the whole read: reads are serialised. The counter-example.
	 */
	MUTEX("mutex", true, true, false, false),

	/**
	 * Loaded once when the holder is created and never replaced: publish is refused. The floor every other
	 * strategy is measured against.
	 */
	STATIC("static", true, false, true, true),

	/**
	 * Every read loads its own model and closes it afterwards; nothing is held and nothing can be published.
	 */
	PER_REQUEST("per-request", false, true, false, false);

	private final String value;

	private final boolean holdsModel;

	private final boolean replacesModel;

	private final boolean loadsWhenBuilt;

	private final boolean readsNeverWait;

	HolderStrategy(String value, boolean holdsModel, boolean replacesModel, boolean loadsWhenBuilt,
			boolean readsNeverWait) {
		this.value = value;
		this.holdsModel = holdsModel;
		this.replacesModel = replacesModel;
		this.loadsWhenBuilt = loadsWhenBuilt;
		this.readsNeverWait = readsNeverWait;
	}

	/**
	 * Whether a read of a loaded model never waits for another thread: {@code sharded-rcu} and {@code static}.
	 * {@code rwlock} readers wait while a publish holds the write lock, {@code mutex} readers for each other, and
	 * {@code per-request} reads load a model. Only such a holder may be read on a thread that must not block, an
	 * event loop among them.
	 * @return whether reads of a loaded model are wait-free of other threads
	 */
	public boolean readsNeverWait() {
		return this.readsNeverWait;
	}

	/**
	 * Whether the holder keeps a model between reads. {@code per-request} does not: each read loads its own, so
	 * there is nothing to warm up, to serve beside it or to retire.
	 * @return whether a model is held
	 */
	public boolean holdsModel() {
		return this.holdsModel;
	}

	/**
	 * Whether the model can change at run time: by {@link ModelHolder#publish publish} or, for {@code per-request},
	 * by changing what each read loads. {@code static} never changes its model.
	 * @return whether reloads and polls can change what serves
	 */
	public boolean replacesModel() {
		return this.replacesModel;
	}

	/**
	 * Whether {@link ModelHolder#unload unload} can take the model out and a later read load it again: a strategy
	 * that holds a model and replaces it ({@code sharded-rcu}, {@code rwlock}, {@code mutex}). The registry evicts
	 * only models held this way.
	 * @return whether the holder's model can be unloaded
	 */
	public boolean unloads() {
		return this.holdsModel && this.replacesModel;
	}

	/**
	 * Whether the holder loads its model when it is built, whatever the load mode asks: {@code static}.
	 * @return whether building the holder loads the model
	 */
	public boolean loadsWhenBuilt() {
		return this.loadsWhenBuilt;
	}

	/**
	 * Returns the name of this strategy as users write it, for example {@code sharded-rcu}.
	 * @return the kebab-case name
	 */
	public String value() {
		return this.value;
	}

	/**
	 * Returns the strategy with the given kebab-case name.
	 * @param value a name such as {@code rwlock}; case and surrounding white space are ignored
	 * @return the strategy
	 * @throws IllegalArgumentException if no strategy has that name; the message lists the valid names
	 */
	public static HolderStrategy fromValue(String value) {
		String candidate = value.trim();
		for (HolderStrategy strategy : values()) {
			if (strategy.value.equalsIgnoreCase(candidate)) {
				return strategy;
			}
		}
		throw new IllegalArgumentException(
				"Unknown model holder strategy '" + value + "'; valid strategies are " + validValues());
	}

	/**
	 * Returns the valid names, comma separated, for error messages.
	 * @return the names of every strategy
	 */
	public static String validValues() {
		return Arrays.stream(values()).map(HolderStrategy::value).collect(Collectors.joining(", "));
	}

	@Override
	public String toString() {
		return this.value;
	}

}
