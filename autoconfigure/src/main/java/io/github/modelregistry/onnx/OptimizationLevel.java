package io.github.modelregistry.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How much ONNX Runtime rewrites a model's graph when it loads it.
 */
public enum OptimizationLevel {

	/** No graph optimisation. */
	NONE(OptLevel.NO_OPT),

	/** Semantics-preserving rewrites such as constant folding and redundant node elimination. */
	BASIC(OptLevel.BASIC_OPT),

	/** Basic plus fusions of common node patterns. */
	EXTENDED(OptLevel.EXTENDED_OPT),

	/** Everything, including layout optimisations: ONNX Runtime's own default. */
	ALL(OptLevel.ALL_OPT);

	private final OptLevel optLevel;

	OptimizationLevel(OptLevel optLevel) {
		this.optLevel = optLevel;
	}

	OptLevel optLevel() {
		return this.optLevel;
	}

}
