package io.github.modelregistry.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

import io.github.modelregistry.holder.ModelHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Reads while a writer publishes: the distribution of each reader's time (JMH {@link Mode#SampleTime}: p50, p99,
 * p99.9, max), with readers as in {@link ReadPathBenchmark} and one thread publishing a new fake model at a fixed
 * rate. A reader that waits behind a writer (the read-write lock queues new readers behind a waiting writer, which
 * itself waits for the readers inside) shows up in the tail, not in the mean.
 * <p>
 * The grid follows TensorFlow Serving's {@code fast_read_dynamic_ptr_benchmark.cc}: {@code publishEveryMicros}
 * 0 (the publisher thread exists but only sleeps, the baseline) or 1000 (a publish every millisecond), and
 * {@code holdMicros} 0 (the cheap call) or 1000 (the reader keeps the model for 1 ms of busy CPU, standing in for a
 * real inference: this is what makes a writer wait for readers, and readers wait for that writer, under
 * {@code rwlock}). {@code static} and {@code per-request} refuse publishes, so their publisher only sleeps: their
 * rows show the same thread layout without a writer.
 * <p>
 * Two readers and one publisher by default; the runner's {@code --threads} option sets the readers. The result
 * that matters is the secondary result {@code read}: the group's primary result mixes in the publisher's samples.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Group)
public class ReadWhilePublishingBenchmark {

	@Param({ "sharded-rcu", "rwlock", "mutex", "static", "per-request" })
	public String strategy;

	/** Microseconds between publishes; 0: the publisher does not publish. */
	@Param({ "0", "1000" })
	public long publishEveryMicros;

	/** Microseconds of busy CPU a reader spends inside the model; 0: only the cheap call. */
	@Param({ "0", "1000" })
	public long holdMicros;

	private ModelHolder<FakeModel> holder;

	private boolean publishing;

	private long periodNanos;

	private long holdNanos;

	/** Created once: a method reference bound to this state would otherwise be allocated on every read. */
	private final Function<FakeModel, Integer> holdingCall = this::hold;

	/** Touched only by the publisher thread. */
	private long nextPublishAt;

	private long generation = 1_000_000;

	@Setup
	public void setUp() {
		this.holder = Strategies.fakeHolder(this.strategy);
		this.publishing = this.publishEveryMicros > 0 && Strategies.publishes(this.strategy);
		this.periodNanos = TimeUnit.MICROSECONDS.toNanos((this.publishEveryMicros > 0) ? this.publishEveryMicros : 1000);
		this.holdNanos = TimeUnit.MICROSECONDS.toNanos(this.holdMicros);
		this.nextPublishAt = System.nanoTime() + this.periodNanos;
	}

	@TearDown
	public void tearDown() {
		this.holder.close();
	}

	@Benchmark
	@Group("readWhilePublishing")
	@GroupThreads(2)
	public void read(Blackhole blackhole) {
		if (this.holdNanos == 0) {
			blackhole.consume(this.holder.read(FakeModel.CHEAP_CALL));
		}
		else {
			blackhole.consume(this.holder.read(this.holdingCall));
		}
	}

	private Integer hold(FakeModel model) {
		long deadline = System.nanoTime() + this.holdNanos;
		while (System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		return model.cheapCall();
	}

	@Benchmark
	@Group("readWhilePublishing")
	@GroupThreads(1)
	public void publish() {
		long now = System.nanoTime();
		while (now < this.nextPublishAt) {
			LockSupport.parkNanos(this.nextPublishAt - now);
			now = System.nanoTime();
		}
		// Fixed rate; after a stall (a publish that waited for readers) start again from now rather than burst
		this.nextPublishAt += this.periodNanos;
		if (this.nextPublishAt < now) {
			this.nextPublishAt = now + this.periodNanos;
		}
		if (this.publishing) {
			this.holder.publish(new FakeModel(++this.generation));
		}
	}

}
