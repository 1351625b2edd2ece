package io.github.modelregistry.registry;

import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.InferenceModel;

/**
 * Loads one version of a model from where the repository found it. The registry calls it on its loader thread (or,
 * for lazy models, on the first request's thread), never while holding a lock that requests need.
 */
@FunctionalInterface
public interface InferenceModelLoader {

	/**
	 * Loads a version; the caller owns (and closes) what is returned.
	 * @param model the model name
	 * @param source where the version is
	 * @return the loaded version
	 * @throws Exception if it cannot be loaded
	 */
	InferenceModel load(String model, ModelSource source) throws Exception;

}
