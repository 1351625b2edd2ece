#!/usr/bin/env bash
# Batching off and on, in process: builds benchmarks/target/benchmarks.jar, then runs one of two harnesses.
#
#   benchmarks/batching.sh [out folder] [seconds per run (4)] [rounds (3)] [strategies, comma-separated
#     (sharded-rcu,rwlock)] [hidden layers of the generated model (4096,4096: about 5 ms per 10x40 batch on one core)]
# BatchingExperiment (about 7 minutes on 2 cores): its own closed loop of async clients at 1, 8, 64 and 256 in flight,
# a fresh registry per run, off and on taking turns, strategies taking turns by round; writes
# benchmarks/results/batching/{batching.md,runs.tsv}.
#
#   benchmarks/batching.sh --jmh [--forks 3] [--out DIR] [--quick]
# BatchingRunner (about 15 minutes): BatchingBenchmark under JMH, one JMH thread per request in flight, every
# strategy, at 1 thread (both models) and 64 threads (the 5 ms model); writes benchmarks/results/batching/jmh.md
# and JMH's JSON.
#
# One run at a time, and nothing else loading the machine meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
if [ "${1:-}" = --jmh ]; then
	exec java -cp benchmarks/target/benchmarks.jar io.github.modelregistry.benchmarks.BatchingRunner "${@:2}"
fi
exec java -cp benchmarks/target/benchmarks.jar io.github.modelregistry.benchmarks.BatchingExperiment \
	"${1:-benchmarks/results/batching}" "${@:2}"
