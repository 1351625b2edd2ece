package io.github.modelregistry.actuate;

import io.github.modelregistry.tensor.TensorBufferPool;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Micrometer metrics of the {@link TensorBufferPool}:
 * <ul>
 * <li>{@code model.tensor.pool.leases} counter: leases served, tag {@code result} = {@code hit} (an idle pooled
 * buffer) or {@code miss} (a newly allocated one);</li>
 * <li>{@code model.tensor.pool.memory} gauge: bytes the pool owns, tag {@code state} = {@code idle} or
 * {@code leased};</li>
 * <li>{@code model.tensor.pool.memory.max} gauge: the bound on the bytes it owns;</li>
 * <li>{@code model.tensor.pool.leases.open} gauge: leases not yet returned, pooled or not (0 when idle: a
 * number that stays above 0 with no traffic is a leak).</li>
 * </ul>
 */
public class TensorBufferPoolMetrics implements MeterBinder {

	private final TensorBufferPool pool;

	public TensorBufferPoolMetrics(TensorBufferPool pool) {
		this.pool = pool;
	}

	@Override
	public void bindTo(MeterRegistry meters) {
		FunctionCounter.builder("model.tensor.pool.leases", this.pool, TensorBufferPool::hits)
			.description("Tensor buffer leases served by an idle pooled buffer (hit) or a new one (miss)")
			.tag("result", "hit")
			.register(meters);
		FunctionCounter.builder("model.tensor.pool.leases", this.pool, TensorBufferPool::misses)
			.description("Tensor buffer leases served by an idle pooled buffer (hit) or a new one (miss)")
			.tag("result", "miss")
			.register(meters);
		Gauge.builder("model.tensor.pool.memory", this.pool, TensorBufferPool::bytesIdle)
			.description("Direct memory the tensor buffer pool owns")
			.tag("state", "idle")
			.baseUnit(BaseUnits.BYTES)
			.register(meters);
		Gauge.builder("model.tensor.pool.memory", this.pool, (pool) -> pool.bytesHeld() - pool.bytesIdle())
			.description("Direct memory the tensor buffer pool owns")
			.tag("state", "leased")
			.baseUnit(BaseUnits.BYTES)
			.register(meters);
		Gauge.builder("model.tensor.pool.memory.max", this.pool, TensorBufferPool::maxBytes)
			.description("Most direct memory the tensor buffer pool may own")
			.baseUnit(BaseUnits.BYTES)
			.register(meters);
		Gauge.builder("model.tensor.pool.leases.open", this.pool, TensorBufferPool::openLeases)
			.description("Tensor buffer leases not yet returned")
			.register(meters);
	}

}
