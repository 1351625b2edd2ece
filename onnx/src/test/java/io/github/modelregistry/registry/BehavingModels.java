package io.github.modelregistry.registry;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.ForwardingInferenceModel;
import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;

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
		return new BehavingModels(
				new io.github.modelregistry.onnx.OnnxModelLoader(io.github.modelregistry.onnx.OnnxSessionSettings.DEFAULT));
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

	private final class Behaving extends ForwardingInferenceModel {

		Behaving(InferenceModel model) {
			super(model);
		}

		@Override
		public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
			Behaviour behaviour = BehavingModels.this.behaviours.get(name());
			if (behaviour != null) {
				try {
					behaviour.run(name(), inputs);
				}
				catch (RuntimeException ex) {
					throw ex;
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}
			return super.run(inputs, outputs);
		}

	}

}
