#!/usr/bin/env bash
# The eviction benchmark (about 6 minutes on 2 cores): what a request costs when its model was evicted (unload the
# least recently used model, load its own, answer) against a request to a model that stays, for the sample model
# and a 5 ms model, in a memory budget that holds two of three evictable models; JMH, 3 forks. Writes JMH's text
# and JSON results to benchmarks/results/eviction/.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
out=benchmarks/results/eviction
mkdir -p "$out"
java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main EvictionBenchmark -rf json \
	-rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
