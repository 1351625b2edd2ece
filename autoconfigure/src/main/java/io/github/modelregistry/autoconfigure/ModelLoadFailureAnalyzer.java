package io.github.modelregistry.autoconfigure;

import io.github.modelregistry.registry.ModelLoadFailedException;

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
		String action = "Point '" + prefix + ".path' (or 'model-registry.base-path') at a 'file:' or 'classpath:' "
				+ "folder laid out as <version>/model.onnx, with <version> a positive integer, and check '" + prefix
				+ ".version' if it is set. To start without this model and load it on first use, set '" + prefix
				+ ".load=lazy'.";
		return new FailureAnalysis(description, action, cause);
	}

}
