package io.github.modelregistry.registry;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * Loads real models and makes them behave as a test says, by name, inside the model's run: wait at a latch, fail,
 * record the thread. The one fixture for "a model that blocks or fails inside inference", so that tests exercise
 * the registry's real read, protection and scheduling paths around it. Behaviours are looked up on every run, so a
 * test may change them while models are loaded.
 */
public final class BehavingModels implements InferenceModelLoader {

	private final InferenceModelLoader delegate;

	private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();

	public BehavingModels(InferenceModelLoader delegate) {
		this.delegate = delegate;
	}

	/**
	 * Wraps real ONNX Runtime loading with default settings.
	 */
	public static BehavingModels onnx() {
		return new BehavingModels(InferenceModelLoader.onnx(
				new io.github.modelregistry.onnx.OnnxModelLoader(io.github.modelregistry.onnx.OnnxSessionSettings.DEFAULT)));
	}

	/**
	 * Runs {@code behaviour} inside every run of {@code model}, before the real model runs.
	 */
	public BehavingModels on(String model, Behaviour behaviour) {
		this.behaviours.put(model, behaviour);
		return this;
	}

	@Override
	public InferenceModel load(String model, ModelSource source) throws Exception {
		return new Behaving(this.delegate.load(model, source));
	}

	/**
	 * What a model does inside its run before the real model runs; throwing makes the run fail.
	 */
	@FunctionalInterface
	public interface Behaviour {

		void run(String model, Collection<Tensor> inputs) throws Exception;

	}

	private final class Behaving implements InferenceModel {

		private final InferenceModel model;

		Behaving(InferenceModel model) {
			this.model = model;
		}

		@Override
		public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
			Behaviour behaviour = BehavingModels.this.behaviours.get(this.model.name());
			if (behaviour != null) {
				try {
					behaviour.run(this.model.name(), inputs);
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
			return this.model.run(inputs, outputs);
		}

		@Override
		public String name() {
			return this.model.name();
		}

		@Override
		public long version() {
			return this.model.version();
		}

		@Override
		public String platform() {
			return this.model.platform();
		}

		@Override
		public String source() {
			return this.model.source();
		}

		@Override
		public List<TensorSpec> inputs() {
			return this.model.inputs();
		}

		@Override
		public List<TensorSpec> outputs() {
			return this.model.outputs();
		}

		@Override
		public long sizeBytes() {
			return this.model.sizeBytes();
		}

		@Override
		public Instant loadedAt() {
			return this.model.loadedAt();
		}

		@Override
		public Duration loadDuration() {
			return this.model.loadDuration();
		}

		@Override
		public void close() throws Exception {
			this.model.close();
		}

	}

}
