package io.github.modelregistry.pipeline;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;

import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * A post-stage that turns a text encoder's token embeddings into one vector per text: the mean of the embeddings of
 * the real tokens (where the attention mask is 1; padding is left out), then, by default, scaled to length 1 so that
 * a dot product is the cosine similarity. This is what sentence-transformers' {@code Pooling} + {@code Normalize}
 * modules do for all-MiniLM-L6-v2 and its kin, and what Spring AI's and LangChain4j's in-process embedding models
 * do after ONNX Runtime.
 * <p>
 * Reads {@code last_hidden_state} (or the option {@code token-embeddings}) FP32 {@code [n, tokens, dimensions]} and
 * {@code attention_mask} INT64 {@code [n, tokens]}; adds {@code embedding} (or the option {@code embedding}) FP32
 * {@code [n, dimensions]}. Option {@code normalize}: {@code true} by default. Sums are taken in {@code double}, so
 * a row's vector does not depend on how much padding its batch added after it. Cost: one pass over the token
 * embeddings, {@code n × tokens × dimensions} additions.
 */
public final class MeanPooling implements PipelineStage {

	/** The encoder output the stage reads by default: the name Hugging Face's exports give it */
	public static final String TOKEN_EMBEDDINGS = "last_hidden_state";

	/** The mask the stage reads: 1 for a real token, 0 for padding */
	public static final String ATTENTION_MASK = "attention_mask";

	/** The output the stage adds by default */
	public static final String EMBEDDING = "embedding";

	private final String tokenEmbeddings;

	private final String embedding;

	private final long dimensions;

	private final boolean normalize;

	/**
	 * @param tokenEmbeddings the name of the token embeddings
	 * @param embedding the name of the output
	 * @param dimensions the size of one embedding, or -1 when the model does not say
	 * @param normalize whether to scale each vector to length 1
	 */
	public MeanPooling(String tokenEmbeddings, String embedding, long dimensions, boolean normalize) {
		this.tokenEmbeddings = tokenEmbeddings;
		this.embedding = embedding;
		this.dimensions = dimensions;
		this.normalize = normalize;
	}

	/**
	 * Returns the factory that makes the stage from the model's signature and the options {@code token-embeddings},
	 * {@code embedding} and {@code normalize}.
	 */
	public static PipelineStageFactory factory() {
		return (context) -> {
			String input = (context.option("token-embeddings") != null) ? context.option("token-embeddings")
					: TOKEN_EMBEDDINGS;
			TensorSpec spec = context.modelOutputs()
				.stream()
				.filter((output) -> output.name().equals(input))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("Model '" + context.model() + "' has no output '" + input
						+ "' to pool; its outputs are " + context.modelOutputs().stream().map(TensorSpec::name).toList()
						+ " (set the pipeline option token-embeddings)"));
			long[] shape = spec.shape();
			if (spec.datatype() != TensorDatatype.FP32 || shape.length != 3) {
				throw new IllegalStateException("Model '" + context.model() + "''s output '" + input + "' is "
						+ spec.datatype() + java.util.Arrays.toString(shape) + ": mean pooling reads FP32 "
						+ "[batch, tokens, dimensions]");
			}
			String output = (context.option("embedding") != null) ? context.option("embedding") : EMBEDDING;
			return new MeanPooling(input, output, shape[2], context.booleanOption("normalize", true));
		};
	}

	@Override
	public List<TensorSpec> inputs() {
		return List.of(new TensorSpec(this.tokenEmbeddings, TensorDatatype.FP32, new long[] { -1, -1, this.dimensions }),
				new TensorSpec(ATTENTION_MASK, TensorDatatype.INT64, new long[] { -1, -1 }));
	}

	@Override
	public List<TensorSpec> outputs() {
		return List.of(new TensorSpec(this.embedding, TensorDatatype.FP32, new long[] { -1, this.dimensions }));
	}

	@Override
	public List<Tensor> run(Map<String, Tensor> inputs) {
		Tensor states = inputs.get(this.tokenEmbeddings);
		Tensor mask = inputs.get(ATTENTION_MASK);
		long[] shape = states.shape();
		int rows = Math.toIntExact(shape[0]);
		int tokens = Math.toIntExact(shape[1]);
		int dimensions = Math.toIntExact(shape[2]);
		long[] maskShape = mask.shape();
		if (maskShape.length != 2 || maskShape[0] != rows || maskShape[1] != tokens) {
			throw new IllegalStateException("The attention mask's shape " + java.util.Arrays.toString(maskShape)
					+ " does not match the token embeddings' " + java.util.Arrays.toString(shape));
		}
		FloatBuffer values = (FloatBuffer) states.data();
		LongBuffer masks = (LongBuffer) mask.data();
		float[] pooled = new float[rows * dimensions];
		double[] sum = new double[dimensions];
		for (int row = 0; row < rows; row++) {
			java.util.Arrays.fill(sum, 0);
			long count = 0;
			for (int token = 0; token < tokens; token++) {
				if (masks.get(row * tokens + token) == 0) {
					continue;
				}
				count++;
				int base = (row * tokens + token) * dimensions;
				for (int d = 0; d < dimensions; d++) {
					sum[d] += values.get(base + d);
				}
			}
			// An empty text still has its special tokens; a row of padding only would pool to zeros, not NaN
			double scale = (count == 0) ? 0 : 1.0 / count;
			double norm = 0;
			for (int d = 0; d < dimensions; d++) {
				sum[d] *= scale;
				norm += sum[d] * sum[d];
			}
			double divisor = (this.normalize && norm > 0) ? Math.sqrt(norm) : 1;
			for (int d = 0; d < dimensions; d++) {
				pooled[row * dimensions + d] = (float) (sum[d] / divisor);
			}
		}
		return List.of(Tensor.ofFloats(this.embedding, new long[] { rows, dimensions }, pooled));
	}

}
