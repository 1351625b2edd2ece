package io.github.modelregistry.tokenizers;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.github.modelregistry.pipeline.PipelineStage;
import io.github.modelregistry.pipeline.PipelineStageFactory;
import io.github.modelregistry.pipeline.StageContext;
import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * A pre-stage that tokenizes text with a Hugging Face {@code tokenizer.json}: {@code text} BYTES {@code [n]} (UTF-8)
 * in; {@code input_ids}, {@code attention_mask} and, when the model takes it, {@code token_type_ids}, INT64
 * {@code [n, tokens]}, out. The {@code tokenizer.json} is read from the model's version folder, beside
 * {@code model.onnx}, so a new tokenizer is a new version of the model.
 * <p>
 * Batches. The texts of one run, which with dynamic batching come from different callers, are padded to the longest
 * of them (Triton's ragged batching, done where the lengths are known): padding tokens get mask 0, which the
 * model's attention and the pooling after it leave out. {@link #tokens()} and {@link #paddingTokens()} count what
 * the runs fed the model, so the share of a batch's work that was padding can be reported. Texts longer than
 * {@code max-length} tokens are truncated, as the peers (Spring AI, LangChain4j) do.
 * <p>
 * Refused as the caller's error (a 400), before any text is tokenized: text that is not UTF-8, a text of more than
 * {@code max-text-bytes} bytes (the tokenizer reads a whole text before it truncates, so its cost follows the bytes,
 * not the tokens kept), more than {@code max-texts} texts in one run (a request alone is refused; merged requests
 * over it run one by one). Options: {@code max-length} (tokens, default 256: what all-MiniLM-L6-v2 was trained with;
 * at most 512), {@code max-text-bytes} (default 65,536), {@code max-texts} (default 1,024), {@code text} (the
 * input's name, default {@code text}). Cost: the Rust tokenizer's work, linear in the text, plus one copy of the ids
 * into the tensors.
 */
public final class HuggingFaceTokenizerStage implements PipelineStage {

	/** The file the stage reads from the version folder */
	public static final String FILE = "tokenizer.json";

	/** The token ids */
	public static final String INPUT_IDS = "input_ids";

	/** 1 for a real token, 0 for padding */
	public static final String ATTENTION_MASK = "attention_mask";

	/** The segment of each token, all 0 for one text */
	public static final String TOKEN_TYPE_IDS = "token_type_ids";

	/** Tokens a text is cut to by default: all-MiniLM-L6-v2's max_seq_length */
	public static final int DEFAULT_MAX_LENGTH = 256;

	/** Bytes one text may have by default: far more than 512 tokens of any language take */
	public static final int DEFAULT_MAX_TEXT_BYTES = 64 * 1024;

	/** Texts one run may have by default */
	public static final int DEFAULT_MAX_TEXTS = 1024;

	private final HuggingFaceTokenizer tokenizer;

	private final String text;

	private final boolean tokenTypes;

	private final int maxTextBytes;

	private final int maxTexts;

	private final LongAdder tokens = new LongAdder();

	private final LongAdder padding = new LongAdder();

	/**
	 * @param tokenizer the tokenizer, owned (and closed) by the stage; padding to the batch's longest
	 * @param text the input's name
	 * @param tokenTypes whether to produce {@code token_type_ids}
	 * @param maxTextBytes the most bytes one text may have
	 * @param maxTexts the most texts one run may have
	 */
	public HuggingFaceTokenizerStage(HuggingFaceTokenizer tokenizer, String text, boolean tokenTypes, int maxTextBytes,
			int maxTexts) {
		this.tokenizer = tokenizer;
		this.text = text;
		this.tokenTypes = tokenTypes;
		this.maxTextBytes = maxTextBytes;
		this.maxTexts = maxTexts;
	}

	/**
	 * Returns the factory that makes the stage from the version's {@code tokenizer.json}, the model's inputs (does
	 * it take {@code token_type_ids}?) and the options {@code max-length} and {@code text}.
	 */
	public static PipelineStageFactory factory() {
		return HuggingFaceTokenizerStage::create;
	}

	static HuggingFaceTokenizerStage create(StageContext context) throws Exception {
		List<String> inputs = context.modelInputs().stream().map(TensorSpec::name).toList();
		for (String required : List.of(INPUT_IDS, ATTENTION_MASK)) {
			if (!inputs.contains(required)) {
				throw new IllegalStateException("Model '" + context.model() + "' takes " + inputs + ", not '" + required
						+ "': the tokenizer stage feeds a transformer's input_ids and attention_mask");
			}
		}
		int maxLength = context.intOption("max-length", DEFAULT_MAX_LENGTH);
		if (maxLength > 512) {
			throw new IllegalArgumentException("Option 'max-length' of model '" + context.model() + "''s pipeline is "
					+ maxLength + ": BERT-like encoders take at most 512 tokens");
		}
		Map<String, String> options = new HashMap<>();
		options.put("padding", "true");
		options.put("truncation", "true");
		options.put("maxLength", Integer.toString(maxLength));
		int maxTextBytes = context.intOption("max-text-bytes", DEFAULT_MAX_TEXT_BYTES);
		int maxTexts = context.intOption("max-texts", DEFAULT_MAX_TEXTS);
		byte[] json = context.file(FILE).bytes();
		HuggingFaceTokenizer tokenizer;
		try {
			tokenizer = HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(json), options);
		}
		catch (RuntimeException ex) {
			// The Rust library's words for a file it cannot read, as a load failure of this version
			throw new IllegalStateException("Model '" + context.model() + "' version " + context.version()
					+ " has a tokenizer.json the tokenizer cannot read: " + ex.getMessage(), ex);
		}
		String text = (context.option("text") != null) ? context.option("text") : "text";
		return new HuggingFaceTokenizerStage(tokenizer, text, inputs.contains(TOKEN_TYPE_IDS), maxTextBytes, maxTexts);
	}

	@Override
	public List<TensorSpec> inputs() {
		return List.of(new TensorSpec(this.text, TensorDatatype.BYTES, new long[] { -1 }));
	}

	@Override
	public List<TensorSpec> outputs() {
		long[] shape = { -1, -1 };
		List<TensorSpec> outputs = new ArrayList<>(3);
		outputs.add(new TensorSpec(INPUT_IDS, TensorDatatype.INT64, shape));
		outputs.add(new TensorSpec(ATTENTION_MASK, TensorDatatype.INT64, shape));
		if (this.tokenTypes) {
			outputs.add(new TensorSpec(TOKEN_TYPE_IDS, TensorDatatype.INT64, shape));
		}
		return outputs;
	}

	@Override
	public List<Tensor> run(Map<String, Tensor> inputs) {
		String[] texts = utf8(inputs.get(this.text));
		Encoding[] encodings = this.tokenizer.batchEncode(texts);
		int rows = encodings.length;
		int length = (rows == 0) ? 0 : encodings[0].getIds().length;
		long[] ids = new long[rows * length];
		long[] mask = new long[rows * length];
		long[] types = this.tokenTypes ? new long[rows * length] : null;
		long real = 0;
		for (int row = 0; row < rows; row++) {
			Encoding encoding = encodings[row];
			long[] rowMask = encoding.getAttentionMask();
			if (rowMask.length != length) {
				throw new IllegalStateException("The tokenizer did not pad the batch: rows of " + length + " and "
						+ rowMask.length + " tokens");
			}
			System.arraycopy(encoding.getIds(), 0, ids, row * length, length);
			System.arraycopy(rowMask, 0, mask, row * length, length);
			if (types != null) {
				System.arraycopy(encoding.getTypeIds(), 0, types, row * length, length);
			}
			for (long bit : rowMask) {
				real += bit;
			}
		}
		this.tokens.add((long) rows * length);
		this.padding.add((long) rows * length - real);
		long[] shape = { rows, length };
		List<Tensor> outputs = new ArrayList<>(3);
		outputs.add(Tensor.ofLongs(INPUT_IDS, shape, ids));
		outputs.add(Tensor.ofLongs(ATTENTION_MASK, shape, mask));
		if (types != null) {
			outputs.add(Tensor.ofLongs(TOKEN_TYPE_IDS, shape, types));
		}
		return outputs;
	}

	/**
	 * The texts, decoded strictly: bytes that are not UTF-8 are the caller's error, not text to guess at.
	 */
	private String[] utf8(Tensor text) {
		if (text.elementCount() > this.maxTexts) {
			throw new InvalidTensorException("Input '" + this.text + "' holds " + text.elementCount() + " texts: at most "
					+ this.maxTexts + " a request (the pipeline option max-texts)");
		}
		byte[][] values = text.byteStrings();
		for (int i = 0; i < values.length; i++) {
			if (values[i].length > this.maxTextBytes) {
				throw new InvalidTensorException("Input '" + this.text + "' element " + i + " has " + values[i].length
						+ " bytes: at most " + this.maxTextBytes + " a text (the pipeline option max-text-bytes)");
			}
		}
		String[] texts = new String[values.length];
		CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
			.onMalformedInput(CodingErrorAction.REPORT)
			.onUnmappableCharacter(CodingErrorAction.REPORT);
		for (int i = 0; i < values.length; i++) {
			try {
				texts[i] = decoder.decode(ByteBuffer.wrap(values[i])).toString();
			}
			catch (CharacterCodingException ex) {
				throw new InvalidTensorException("Input '" + this.text + "' element " + i + " is not UTF-8 text");
			}
		}
		return texts;
	}

	/**
	 * Returns the tokens the runs fed the model, padding included.
	 */
	public long tokens() {
		return this.tokens.sum();
	}

	/**
	 * Returns the padding tokens among {@link #tokens()}: the share of a batch's work spent on nothing.
	 */
	public long paddingTokens() {
		return this.padding.sum();
	}

	@Override
	public void close() {
		this.tokenizer.close();
	}

}
