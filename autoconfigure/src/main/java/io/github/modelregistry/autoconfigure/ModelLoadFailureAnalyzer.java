package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.registry.ModelLoadFailedException;
import io.github.modelregistry.repository.ModelVersionNotFoundException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an eager model that could not be loaded at start-up: which model, from where, why, and which properties
 * to change.
 */
class ModelLoadFailureAnalyzer extends AbstractFailureAnalyzer<ModelLoadFailedException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, ModelLoadFailedException cause) {
		String model = cause.getModel();
		String prefix = "model-registry.models." + model;
		Throwable reason = (cause.getCause() != null) ? cause.getCause() : cause;
		String description = "Model '" + model + "' could not be loaded from '" + cause.getLocation() + "':\n\n    "
				+ reason.getMessage() + "\n\nThe location comes from '" + prefix
				+ ".path' or, when that is not set, from 'model-registry.base-path' followed by the model's name.";
		String lazy = " To start without this model and load it on first use, set '" + prefix + ".load=lazy'.";
		// No version where the model was looked for, or a location that names nothing: the layout is wrong. Anything
		// else was thrown by the runtime reading a file it found: the file is wrong, not the layout.
		boolean layout = reason instanceof ModelVersionNotFoundException || reason instanceof IllegalArgumentException;
		String action = layout ? "Point '" + prefix + ".path' (or 'model-registry.base-path') at a folder laid out as "
				+ "<version>/model.onnx, with <version> a positive integer ('classpath:', 'file:' or a path), and check '"
				+ prefix + ".version' if it is set." + lazy
				: "The version's model.onnx was found but could not be loaded: check that it is a whole ONNX model (not a "
						+ "copy still being written, a Git LFS pointer or another format) and that this ONNX Runtime "
						+ "supports its opset, or remove the version folder so that the one before it serves." + lazy;
		return new FailureAnalysis(description, action, cause);
	}

}
