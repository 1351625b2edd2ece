package io.github.modelregistry.tensor;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * An {@link InferenceModel} that forwards every call to another, for a wrapper that changes one behaviour (what
 * {@code close} does, what happens around {@code run}) and keeps the rest: override that one method.
 */
public abstract class ForwardingInferenceModel implements InferenceModel {

	private final InferenceModel delegate;

	protected ForwardingInferenceModel(InferenceModel delegate) {
		this.delegate = delegate;
	}

	/**
	 * Returns the model calls are forwarded to.
	 */
	protected final InferenceModel delegate() {
		return this.delegate;
	}

	@Override
	public String name() {
		return this.delegate.name();
	}

	@Override
	public long version() {
		return this.delegate.version();
	}

	@Override
	public String platform() {
		return this.delegate.platform();
	}

	@Override
	public String source() {
		return this.delegate.source();
	}

	@Override
	public List<TensorSpec> inputs() {
		return this.delegate.inputs();
	}

	@Override
	public List<TensorSpec> outputs() {
		return this.delegate.outputs();
	}

	@Override
	public long sizeBytes() {
		return this.delegate.sizeBytes();
	}

	@Override
	public Instant loadedAt() {
		return this.delegate.loadedAt();
	}

	@Override
	public Duration loadDuration() {
		return this.delegate.loadDuration();
	}

	@Override
	public List<Tensor> run(Collection<Tensor> inputs, Collection<String> outputs) {
		return this.delegate.run(inputs, outputs);
	}

	@Override
	public void close() throws Exception {
		this.delegate.close();
	}

}
