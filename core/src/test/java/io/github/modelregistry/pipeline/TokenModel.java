package io.github.modelregistry.pipeline;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.modelregistry.tensor.InferenceModel;
import io.github.modelregistry.tensor.Tensor;
import io.github.modelregistry.tensor.TensorDatatype;
import io.github.modelregistry.tensor.TensorSignature;
import io.github.modelregistry.tensor.TensorSpec;

/**
 * A stand-in for a text encoder, with no runtime: {@code input_ids} and {@code attention_mask} INT64 [n, tokens] in,
 * {@code last_hidden_state} FP32 [n, tokens, 2] out, each token's state {@code (id + version, 2 × id)}; padding
 * (mask 0) gets a state of 1000s, which pooling must leave out. Counts its closes.
 */
final class TokenModel implements InferenceModel {

	static final TensorSignature SIGNATURE = new TensorSignature("encoder",
			List.of(new TensorSpec("input_ids", TensorDatatype.INT64, new long[] { -1, -1 }),
					new TensorSpec("attention_mask", TensorDatatype.INT64, new long[] { -1, -1 })),
			List.of(new TensorSpec("last_hidden_state", TensorDatatype.FP32, new long[] { -1, -1, 2 })));

	final AtomicInteger closes = new AtomicInteger();

	final AtomicInteger runs = new AtomicInteger();

	/** The shape of input_ids of every run */
	final java.util.Queue<List<Long>> shapes = new java.util.concurrent.ConcurrentLinkedQueue<>();

	private final String name;

	private final long version;

	TokenModel(String name, long version) {
		this.name = name;
		this.version = version;
	}

	@Override
	public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
		SIGNATURE.validate(inputs, outputs);
		this.runs.incrementAndGet();
		Tensor ids = inputs.stream().filter((t) -> t.name().equals("input_ids")).findFirst().orElseThrow();
		Tensor mask = inputs.stream().filter((t) -> t.name().equals("attention_mask")).findFirst().orElseThrow();
		long[] shape = ids.shape();
		this.shapes.add(List.of(shape[0], shape[1]));
		long[] idValues = ids.longs();
		long[] maskValues = mask.longs();
		float[] states = new float[idValues.length * 2];
		for (int i = 0; i < idValues.length; i++) {
			boolean real = maskValues[i] != 0;
			states[2 * i] = real ? idValues[i] + this.version : 1000;
			states[2 * i + 1] = real ? 2 * idValues[i] : 1000;
		}
		return List.of(Tensor.ofFloats("last_hidden_state", new long[] { shape[0], shape[1], 2 }, states));
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public long version() {
		return this.version;
	}

	@Override
	public String platform() {
		return "test";
	}

	@Override
	public String source() {
		return "code";
	}

	@Override
	public List<TensorSpec> inputs() {
		return SIGNATURE.inputs();
	}

	@Override
	public List<TensorSpec> outputs() {
		return SIGNATURE.outputs();
	}

	@Override
	public long sizeBytes() {
		return 100;
	}

	@Override
	public Instant loadedAt() {
		return Instant.EPOCH;
	}

	@Override
	public Duration loadDuration() {
		return Duration.ZERO;
	}

	@Override
	public void close() {
		this.closes.incrementAndGet();
	}

}
