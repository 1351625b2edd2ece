package io.github.modelregistry.pipeline;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.github.modelregistry.repository.ModelSource;
import io.github.modelregistry.tensor.InferenceModel;
import org.jspecify.annotations.Nullable;

/**
 * Java stages around a model's runtime, served as one model: stages before it ({@code pre}) turn what callers send
 * into what the runtime takes, stages after it ({@code post}) turn what it returns into what callers get. Triton's
 * ensembles are the anchor; here the stages are Java objects in the same process, with no copy between steps.
 * <p>
 * A pipeline is a recipe, not a model: {@link #load} applies it to each loaded version of the runtime model,
 * making every stage from that version's folder (a tokenizer reads the {@code tokenizer.json} beside
 * {@code model.onnx}), so a new version of the model file or of a stage's file is one new version of the whole,
 * loaded, warmed up, charged against the memory budget and swapped in as one. Wired into a registry with
 * {@code ModelRegistry.builder().pipeline(name, pipeline)}; the raw model stays servable under its own name.
 * <pre>{@code
 * Pipeline embeddings = Pipeline.builder()
 *     .pre("tokenizer", HuggingFaceTokenizerStage.factory())
 *     .post("pooling", MeanPooling.factory())
 *     .option("max-length", "256")
 *     .build();
 * }</pre>
 */
public final class Pipeline {

	private final Map<String, PipelineStageFactory> pre;

	private final Map<String, PipelineStageFactory> post;

	private final Map<String, String> options;

	private Pipeline(Builder builder) {
		this.pre = new LinkedHashMap<>(builder.pre);
		this.post = new LinkedHashMap<>(builder.post);
		this.options = Map.copyOf(builder.options);
	}

	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Returns the names of the stages before the runtime, in order.
	 */
	public List<String> pre() {
		return List.copyOf(this.pre.keySet());
	}

	/**
	 * Returns the names of the stages after the runtime, in order.
	 */
	public List<String> post() {
		return List.copyOf(this.post.keySet());
	}

	/**
	 * Returns the options every stage is made with.
	 */
	public Map<String, String> options() {
		return this.options;
	}

	/**
	 * Makes the stages for a loaded version and returns the whole as one model, which owns the runtime model from
	 * then on. If a stage cannot be made, or the stages do not fit together, the stages made so far and the runtime
	 * model are closed and the load fails.
	 * @param model the runtime model of one version
	 * @param source where that version is
	 * @return the pipeline model
	 * @throws Exception what a stage factory threw, or {@link IllegalStateException} naming the stage that does not
	 * fit
	 */
	public PipelineModel load(InferenceModel model, ModelSource source) throws Exception {
		StageContext context = new StageContext(model.name(), model.version(), source, model.inputs(), model.outputs(),
				this.options);
		List<PipelineModel.Step> before = new ArrayList<>();
		List<PipelineModel.Step> after = new ArrayList<>();
		try {
			for (Map.Entry<String, PipelineStageFactory> stage : this.pre.entrySet()) {
				before.add(new PipelineModel.Step(stage.getKey(), make(stage, context)));
			}
			for (Map.Entry<String, PipelineStageFactory> stage : this.post.entrySet()) {
				after.add(new PipelineModel.Step(stage.getKey(), make(stage, context)));
			}
			return new PipelineModel(model, before, after, grouping(model, context));
		}
		catch (Exception | Error ex) {
			before.forEach((step) -> closeQuietly(step.stage(), ex));
			after.forEach((step) -> closeQuietly(step.stage(), ex));
			closeQuietly(model, ex);
			throw ex;
		}
	}

	/**
	 * Length grouping from the options: {@code group-by-length} names the mask ({@code off} for none; by default
	 * {@code attention_mask} when the runtime reads it), {@code group-tolerance} the padding a row may take (0.25).
	 */
	private static PipelineModel.@Nullable Grouping grouping(InferenceModel model, StageContext context) {
		String mask = context.option("group-by-length");
		if (mask == null) {
			boolean transformer = model.inputs().stream().anyMatch((input) -> input.name().equals("attention_mask"));
			mask = transformer ? "attention_mask" : "off";
		}
		if (mask.equals("off")) {
			return null;
		}
		return new PipelineModel.Grouping(mask, context.doubleOption("group-tolerance", 0.25));
	}

	private static PipelineStage make(Map.Entry<String, PipelineStageFactory> stage, StageContext context)
			throws Exception {
		PipelineStage made = stage.getValue().create(context);
		if (made == null) {
			throw new IllegalStateException("Stage '" + stage.getKey() + "' of model '" + context.model()
					+ "''s pipeline made nothing");
		}
		return made;
	}

	private static void closeQuietly(AutoCloseable closeable, Throwable failure) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			failure.addSuppressed(ex);
		}
	}

	@Override
	public String toString() {
		return "Pipeline[pre=" + this.pre.keySet() + ", post=" + this.post.keySet() + "]";
	}

	/**
	 * Builds a {@link Pipeline}: stages in the order they run, each under a name for messages.
	 */
	public static final class Builder {

		private final Map<String, PipelineStageFactory> pre = new LinkedHashMap<>();

		private final Map<String, PipelineStageFactory> post = new LinkedHashMap<>();

		private final Map<String, String> options = new LinkedHashMap<>();

		private Builder() {
		}

		/**
		 * Adds a stage that runs before the model's runtime, after those added before it.
		 */
		public Builder pre(String name, PipelineStageFactory stage) {
			add(this.pre, name, stage);
			return this;
		}

		/**
		 * Adds a stage that runs after the model's runtime, after those added before it.
		 */
		public Builder post(String name, PipelineStageFactory stage) {
			add(this.post, name, stage);
			return this;
		}

		/**
		 * Sets an option every stage is made with ({@link StageContext#option}).
		 */
		public Builder option(String name, String value) {
			this.options.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, "value"));
			return this;
		}

		private void add(Map<String, PipelineStageFactory> stages, String name, PipelineStageFactory stage) {
			Objects.requireNonNull(name, "name");
			Objects.requireNonNull(stage, "stage");
			if (this.pre.containsKey(name) || this.post.containsKey(name)) {
				throw new IllegalArgumentException("The pipeline already has a stage named '" + name + "'");
			}
			stages.put(name, stage);
		}

		/**
		 * @throws IllegalStateException if there is no stage
		 */
		public Pipeline build() {
			if (this.pre.isEmpty() && this.post.isEmpty()) {
				throw new IllegalStateException("A pipeline needs at least one stage");
			}
			return new Pipeline(this);
		}

	}

}
