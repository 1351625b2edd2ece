package io.github.modelregistry.registry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

/**
 * The set of models a registry serves, by name, and whether the registry is started or closed.
 * <p>
 * Requests read the map ({@link #require}) without a lock. Changes to the set (a start, a registration, an
 * unregistration, the close) happen under one monitor that requests never take, so that a model registered at run
 * time is started by exactly one of the start and its registration, and no model is added after the close. A name
 * being registered is {@link #reserve reserved} while it loads (outside the monitor): a second registration of it is
 * refused, and nothing can reach it until it is {@link #add added}. The names' order (configured first, then
 * registered) is a copied list replaced whole, so that a reader never sees it half changed.
 */
final class Registrations {

	private final Map<String, ServedModel> models = new ConcurrentHashMap<>();

	/** The names served in the order they were added; replaced whole under {@link #lock}. */
	private volatile List<String> ordered;

	/** Guards {@link #ordered}, {@link #pending}, {@link #started} and {@link #closed} changes. */
	private final Object lock = new Object();

	/** Names being registered now, whose load has not finished. */
	private final Set<String> pending = new HashSet<>();

	private volatile boolean started;

	private volatile boolean closed;

	Registrations() {
		this.ordered = List.of();
	}

	/**
	 * Adds a model the registry was built with, before anything can read the set.
	 */
	void configure(ServedModel model) {
		this.models.put(model.name(), model);
		List<String> names = new ArrayList<>(this.ordered);
		names.add(model.name());
		this.ordered = List.copyOf(names);
	}

	/**
	 * Returns a served model.
	 * @throws ModelNotFoundException if no model of that name is served
	 */
	ServedModel require(String name) {
		ServedModel model = this.models.get(name);
		if (model == null) {
			throw gone(name);
		}
		return model;
	}

	/**
	 * Says that a model is not served, naming those that are.
	 */
	ModelNotFoundException gone(String name) {
		return ModelNotFoundException.unknown(name, this.ordered);
	}

	@Nullable ServedModel find(String name) {
		return this.models.get(name);
	}

	boolean contains(String name) {
		return this.models.containsKey(name);
	}

	List<String> names() {
		return this.ordered;
	}

	Collection<ServedModel> all() {
		return this.models.values();
	}

	/**
	 * The served models in order, leaving out any unregistered since the names were read.
	 */
	List<ServedModel> inOrder() {
		List<ServedModel> served = new ArrayList<>();
		for (String name : this.ordered) {
			ServedModel model = this.models.get(name);
			if (model != null) {
				served.add(model);
			}
		}
		return served;
	}

	boolean isRunning() {
		return this.started && !this.closed;
	}

	/**
	 * Refuses a request to a registry that is not started yet or is closed.
	 * @throws ModelUnavailableException if it is
	 */
	void requireRunning() {
		if (this.closed || !this.started) {
			throw new ModelUnavailableException(
					"The model registry is " + (this.closed ? "closed" : "not started yet"), (Throwable) null);
		}
	}

	/**
	 * Marks the registry started and returns the models to start, in order; {@code null} if it was started already.
	 * Registrations from now on start their own model.
	 */
	@Nullable List<ServedModel> start() {
		synchronized (this.lock) {
			if (this.started) {
				return null;
			}
			this.started = true;
			return this.ordered.stream().map(this.models::get).toList();
		}
	}

	/**
	 * Reserves a name for a registration: until {@link #release} no other registration of it can start.
	 * @throws ModelUnavailableException if the registry is not started yet or is closed
	 * @throws ModelAlreadyRegisteredException if the name is served or being registered
	 */
	void reserve(String name) {
		synchronized (this.lock) {
			if (this.closed || !this.started) {
				throw new ModelUnavailableException("The model registry is " + (this.closed ? "closed"
						: "not started yet: add the models it starts with to its builder"), (Throwable) null);
			}
			if (this.models.containsKey(name) || this.pending.contains(name)) {
				throw new ModelAlreadyRegisteredException(name);
			}
			this.pending.add(name);
		}
	}

	/**
	 * Makes a reserved model reachable.
	 * @throws ModelUnavailableException if the registry closed while it loaded (the caller closes it)
	 */
	void add(ServedModel model) {
		synchronized (this.lock) {
			if (this.closed) {
				throw new ModelUnavailableException("The model registry closed while model '" + model.name()
						+ "' was loading", (Throwable) null);
			}
			this.models.put(model.name(), model);
			List<String> names = new ArrayList<>(this.ordered);
			names.add(model.name());
			this.ordered = List.copyOf(names);
		}
	}

	void release(String name) {
		synchronized (this.lock) {
			this.pending.remove(name);
		}
	}

	/**
	 * Makes a model unreachable and returns it.
	 * @throws ModelNotFoundException if no model of that name is served
	 */
	ServedModel remove(String name) {
		synchronized (this.lock) {
			ServedModel model = this.models.remove(name);
			if (model == null) {
				throw gone(name);
			}
			List<String> names = new ArrayList<>(this.ordered);
			names.remove(name);
			this.ordered = List.copyOf(names);
			return model;
		}
	}

	/**
	 * Marks the registry closed and returns every model it served; {@code null} if it was closed already.
	 */
	@Nullable List<ServedModel> close() {
		synchronized (this.lock) {
			if (this.closed) {
				return null;
			}
			this.closed = true;
			return List.copyOf(this.models.values());
		}
	}

}
