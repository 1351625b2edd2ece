#!/usr/bin/env bash
# Batching off and on, in process (about 7 minutes on 2 cores): builds benchmarks/target/benchmarks.jar, then runs
# BatchingExperiment, which writes benchmarks/results/batching/{batching.md,runs.tsv}. Arguments, all optional:
#   [out folder] [seconds per run (4)] [rounds (3)] [strategies, comma-separated (sharded-rcu,rwlock)]
#   [hidden layers of the generated model (4096,4096: about 5 ms per 10x40 batch on one core)]
# One run at a time, and nothing else loading the machine meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
exec java -cp benchmarks/target/benchmarks.jar io.github.modelregistry.benchmarks.BatchingExperiment \
	"${1:-benchmarks/results/batching}" "${@:2}"
