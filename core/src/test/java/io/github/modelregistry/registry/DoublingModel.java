package io.github.modelregistry.registry;

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
 * A model built in code that doubles its FP32 input {@code x} into {@code y}, checks requests as a real model does,
 * refuses to run once closed and counts its closes: for tests of models given to the registry in code, with no ONNX
 * Runtime.
 */
public final class DoublingModel implements InferenceModel {

	private final String name;

	private final long version;

	private final AtomicInteger closes = new AtomicInteger();

	public DoublingModel(String name, long version) {
		this.name = name;
		this.version = version;
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
		return List.of(new TensorSpec("x", TensorDatatype.FP32, new long[] { -1 }));
	}

	@Override
	public List<TensorSpec> outputs() {
		return List.of(new TensorSpec("y", TensorDatatype.FP32, new long[] { -1 }));
	}

	@Override
	public long sizeBytes() {
		return 0;
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
	public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
		if (this.closes.get() > 0) {
			throw new IllegalStateException("closed");
		}
		new TensorSignature(this.name, inputs(), outputs()).validate(inputs, outputs);
		float[] x = inputs.iterator().next().floats();
		for (int i = 0; i < x.length; i++) {
			x[i] *= 2;
		}
		return List.of(Tensor.ofFloats("y", new long[] { x.length }, x));
	}

	@Override
	public void close() {
		this.closes.incrementAndGet();
	}

	/**
	 * Returns how many times it was closed.
	 */
	public int closes() {
		return this.closes.get();
	}

}
