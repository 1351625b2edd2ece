package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.onnx.OptimizationLevel;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * ONNX Runtime session settings, shared by every model.
 */
@ConfigurationProperties("model-registry.onnx")
public class ModelRegistryOnnxProperties {

	/**
	 * Threads ONNX Runtime may use inside one operator. 1 keeps each request on one core, so that concurrency
	 * comes from serving requests in parallel; 0 lets ONNX Runtime use one per physical core.
	 */
	private int intraOpThreads = 1;

	/**
	 * Threads ONNX Runtime may use to run independent operators in parallel.
	 */
	private int interOpThreads = 1;

	/**
	 * Graph optimisations ONNX Runtime applies when it loads a model.
	 */
	private OptimizationLevel optimizationLevel = OptimizationLevel.ALL;

	public int getIntraOpThreads() {
		return this.intraOpThreads;
	}

	public void setIntraOpThreads(int intraOpThreads) {
		if (intraOpThreads < 0) {
			throw new IllegalArgumentException(
					"model-registry.onnx.intra-op-threads must be 0 or more, was " + intraOpThreads);
		}
		this.intraOpThreads = intraOpThreads;
	}

	public int getInterOpThreads() {
		return this.interOpThreads;
	}

	public void setInterOpThreads(int interOpThreads) {
		if (interOpThreads < 0) {
			throw new IllegalArgumentException(
					"model-registry.onnx.inter-op-threads must be 0 or more, was " + interOpThreads);
		}
		this.interOpThreads = interOpThreads;
	}

	public OptimizationLevel getOptimizationLevel() {
		return this.optimizationLevel;
	}

	public void setOptimizationLevel(OptimizationLevel optimizationLevel) {
		this.optimizationLevel = optimizationLevel;
	}

}
