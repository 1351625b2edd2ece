package io.github.modelregistry.pipeline;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.tensor.InvalidTensorException;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * A pre-stage for tests: each character of {@code text} is a token whose id is its code, the batch padded to its
 * longest text with id 0 and mask 0; text containing '!' is refused as a client's error. Counts its closes.
 */
final class CharacterTokenizer implements PipelineStage {

	final AtomicInteger closes = new AtomicInteger();

	/** Batches that held a refused text and others */
	final AtomicInteger mixedBatches = new AtomicInteger();

	@Override
	public List<TensorSpec> inputs() {
		return List.of(new TensorSpec("text", TensorDatatype.BYTES, new long[] { -1 }));
	}

	@Override
	public List<TensorSpec> outputs() {
		return List.of(new TensorSpec("input_ids", TensorDatatype.INT64, new long[] { -1, -1 }),
				new TensorSpec("attention_mask", TensorDatatype.INT64, new long[] { -1, -1 }));
	}

	@Override
	public List<Tensor> run(Map<String, Tensor> inputs) {
		String[] texts = inputs.get("text").strings();
		int longest = 1;
		for (String text : texts) {
			if (text.contains("!")) {
				if (texts.length > 1) {
					this.mixedBatches.incrementAndGet();
				}
				throw new InvalidTensorException("text may not shout");
			}
			longest = Math.max(longest, text.length());
		}
		long[] ids = new long[texts.length * longest];
		long[] mask = new long[texts.length * longest];
		for (int row = 0; row < texts.length; row++) {
			for (int c = 0; c < texts[row].length(); c++) {
				ids[row * longest + c] = texts[row].charAt(c);
				mask[row * longest + c] = 1;
			}
		}
		long[] shape = { texts.length, longest };
		return List.of(Tensor.ofLongs("input_ids", shape, ids), Tensor.ofLongs("attention_mask", shape, mask));
	}

	@Override
	public void close() {
		this.closes.incrementAndGet();
	}

}
