package io.github.modelregistry.registry;

import java.util.NavigableMap;
import java.util.Objects;
import java.util.TreeMap;

import io.github.modelregistry.holder.HolderStrategy;
import io.github.modelregistry.repository.ModelRepository;
import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.repository.VersionPolicy;
import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.InferenceModel;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model given to the registry in code ({@link ModelRegistry.Builder#model(InferenceModel)}) instead of being found
 * in a repository: a stub in a test, or a model made by a runtime the registry has no loader for. Its one version is
 * the model's own. It is served by the same holder, protection and batching as any other model, and never reloaded
 * from anywhere: its repository lists that one version, so a reload finds it again and keeps it.
 * <p>
 * The registry owns the model and closes it once, when the registry closes. What its holder loads, retires and
 * closes is a {@link Lent view} of it whose {@code close} does nothing, because every strategy closes what it
 * retires ({@code per-request} after each request) and must not close the one model under a later request.
 */
final class InCodeModel {

	private static final Logger logger = LoggerFactory.getLogger(ModelRegistry.class);

	/** What an in-code model's location reads, followed by its name, in status and logs. */
	static final String LOCATION_PREFIX = "code:";

	private final InferenceModel model;

	private final HolderStrategy strategy;

	InCodeModel(InferenceModel model, HolderStrategy strategy) {
		this.model = Objects.requireNonNull(model, "model");
		this.strategy = Objects.requireNonNull(strategy, "strategy");
		ModelRepository.requireValidName(model.name());
		if (model.version() < 1) {
			throw new IllegalArgumentException(
					"Version of model '" + model.name() + "' must be a positive integer, was " + model.version());
		}
	}

	String name() {
		return this.model.name();
	}

	/**
	 * The definition it is served by: its one version, loaded when the registry starts, not warmed up (it has no
	 * folder to hold warm-up requests).
	 */
	ModelDefinition definition() {
		return new ModelDefinition(name(), LOCATION_PREFIX + name(), VersionPolicy.LATEST, this.strategy,
				LoadMode.EAGER, null, false);
	}

	/**
	 * A repository that lists the model's one version.
	 */
	ModelRepository repository() {
		ModelSource source = new ModelSource(name(), this.model.version(), new InCode(name()));
		return new ModelRepository() {

			@Override
			public NavigableMap<Long, ModelSource> versions(String model, String location) {
				return new TreeMap<>(java.util.Map.of(source.version(), source));
			}

		};
	}

	/**
	 * A loader that lends the model: what it returns does not close it.
	 */
	InferenceModelLoader loader() {
		return (name, source) -> new Lent(this.model);
	}

	/**
	 * Closes an in-code model the registry owns, if there is one, logging rather than throwing.
	 */
	static void closeQuietly(@Nullable InCodeModel model) {
		if (model == null) {
			return;
		}
		try {
			model.close();
		}
		catch (Exception ex) {
			logger.warn("Closing model '{}' failed: {}", model.name(), ex.toString());
		}
	}

	/**
	 * Closes the model itself (the registry is closing).
	 */
	void close() throws Exception {
		this.model.close();
	}

	/**
	 * The model, without its {@code close}.
	 */
	private static final class Lent extends ForwardingInferenceModel {

		Lent(InferenceModel model) {
			super(model);
		}

		@Override
		public void close() {
			// The registry closes the model itself, once, when it closes
		}

	}

	/**
	 * What an in-code model's one version reads as a file: nothing, described as built in code.
	 */
	private record InCode(String model) implements ModelSource.Content {

		@Override
		public java.nio.file.@Nullable Path file() {
			return null;
		}

		@Override
		public String name() {
			return this.model;
		}

		@Override
		public byte[] bytes() {
			return new byte[0];
		}

		@Override
		public String description() {
			return "model '" + this.model + "' built in code";
		}

		@Override
		public long size() {
			return 0;
		}

		@Override
		public long lastModified() {
			return -1;
		}

		@Override
		public java.util.List<ModelSource.Content> siblings(String folder) {
			return java.util.List.of();
		}

	}

}
