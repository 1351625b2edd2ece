package io.github.modelregistry.onnx;

import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;

/**
 * How much ONNX Runtime rewrites a model's graph when it loads it. Each constant names its ONNX Runtime level rather
 * than holding it, so that the properties that use this type bind without ONNX Runtime on the class path (a test
 * of stub models has none); the level is looked up when a session is made.
 */
public enum OptimizationLevel {

	/** No graph optimisation. */
	NONE("NO_OPT"),

	/** Semantics-preserving rewrites such as constant folding and redundant node elimination. */
	BASIC("BASIC_OPT"),

	/** Basic plus fusions of common node patterns. */
	EXTENDED("EXTENDED_OPT"),

	/** Everything, including layout optimisations: ONNX Runtime's own default. */
	ALL("ALL_OPT");

	/** The name of the matching {@link OptLevel} constant. */
	private final String optLevel;

	OptimizationLevel(String optLevel) {
		this.optLevel = optLevel;
	}

	OptLevel optLevel() {
		return OptLevel.valueOf(this.optLevel);
	}

}
