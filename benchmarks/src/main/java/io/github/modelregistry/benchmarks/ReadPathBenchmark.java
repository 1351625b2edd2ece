package io.github.modelregistry.benchmarks;

import java.util.concurrent.TimeUnit;

import io.github.modelregistry.holder.ModelHolder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The read path: what {@code holder.read(m -> m.cheapCall())} costs with each strategy, in ns/op, with no publisher.
 * The model does nothing, so the whole time is the holder's: version pointer loads and reader counts
 * ({@code sharded-rcu}, {@code static}), a read lock ({@code rwlock}), an exclusive lock ({@code mutex}), or a load
 * and close of a fresh fake model ({@code per-request}). {@link #finalField} applies the same function to a model in
 * a final field: the floor no holder can beat.
 * <p>
 * Run at 1 and 2 threads (the runner's {@code --threads} option allows more on bigger machines): the ratio
 * ns/op(2 threads) ÷ ns/op(1 thread) shows contention. A strategy whose readers write one shared word (the
 * read-write lock's state, the mutex) gets slower per thread as threads are added, because that cache line moves
 * between cores on every read; striped reader counts should stay flat, as long as the threads land on different
 * shards. A shard is picked from a hash of the thread id, so two threads can share one; the runner's extra run with
 * {@code shards=16} shows what that costs.
 * <p>
 * Benchmark and state classes are not final: JMH generates subclasses of them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReadPathBenchmark {

	/**
	 * One holder per trial, shared by every benchmark thread.
	 */
	@State(Scope.Benchmark)
	public static class Holder {

		@Param({ "sharded-rcu", "rwlock", "mutex", "static", "per-request" })
		public String strategy;

		/**
		 * Reader shards of {@code sharded-rcu} and {@code static}; 0: the default, cores rounded up to a power of
		 * two. The runner adds a run with more shards to show what shard collisions cost.
		 */
		@Param({ "0" })
		public int shards;

		ModelHolder<FakeModel> holder;

		@Setup
		public void setUp() {
			this.holder = Strategies.fakeHolder(this.strategy, this.shards);
		}

		@TearDown
		public void tearDown() {
			this.holder.close();
		}

	}

	/**
	 * The floor: a model in a final field, no holder.
	 */
	@State(Scope.Benchmark)
	public static class Floor {

		final FakeModel model = new FakeModel(1);

	}

	@Benchmark
	public void read(Holder state, Blackhole blackhole) {
		blackhole.consume(state.holder.read(FakeModel.CHEAP_CALL));
	}

	@Benchmark
	public void finalField(Floor state, Blackhole blackhole) {
		blackhole.consume(FakeModel.CHEAP_CALL.apply(state.model));
	}

}
