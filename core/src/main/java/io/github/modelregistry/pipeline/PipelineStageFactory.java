package io.github.modelregistry.pipeline;

/**
 * Makes a {@link PipelineStage} for one version of a model, when that version loads. In a Spring application, a
 * bean of this type is a stage that {@code model-registry.models.<name>.pipeline.pre} and {@code .post} can name
 * by its bean name.
 */
@FunctionalInterface
public interface PipelineStageFactory {

	/**
	 * Makes the stage.
	 * @param context the model, its version's folder and runtime signature, and the stage's options
	 * @return the stage, owned (and closed) by the pipeline model
	 * @throws Exception if it cannot be made: the version fails to load, and the one serving keeps serving
	 */
	PipelineStage create(StageContext context) throws Exception;

}
