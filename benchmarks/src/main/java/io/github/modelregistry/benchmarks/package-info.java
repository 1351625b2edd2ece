/**
 * JMH benchmarks of the model holders and the registry, the article's 1,000-request experiment in process, and the
 * runner that runs them all with bounded durations ({@link io.github.modelregistry.benchmarks.BenchmarkRunner}).
 * <p>
 * The strategy parameter of every benchmark is called {@code strategy} and takes the values users write in
 * {@code model-registry.strategy}: {@code sharded-rcu}, {@code rwlock}, {@code mutex}, {@code static},
 * {@code per-request}.
 */
@NullMarked
package io.github.modelregistry.benchmarks;

import org.jspecify.annotations.NullMarked;
