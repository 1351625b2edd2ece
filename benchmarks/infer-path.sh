#!/usr/bin/env bash
# The infer-path benchmark (about 5 minutes on 2 cores): decode + infer + encode of a 10x40 V2 request, before
# the tensor pool, without it and with it, at 1 and 2 threads, with JMH's GC profiler. Writes JMH's JSON and
# INFER-PATH.md to benchmarks/results/infer-path/. Options go to InferPathRunner (--forks N, --out DIR).
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
java -cp benchmarks/target/benchmarks.jar io.github.modelregistry.benchmarks.InferPathRunner "$@"
