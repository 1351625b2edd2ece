#!/usr/bin/env bash
# The decode benchmark (about 4 minutes on 2 cores): what turning a 10x40 FP32 request into a pooled input tensor
# costs JSON REST, binary REST (the binary tensor data extension) and gRPC, with JMH's GC profiler, 3 forks.
# Writes JMH's text and JSON results to benchmarks/results/decode/.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
out=benchmarks/results/decode
mkdir -p "$out"
java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main DecodeBenchmark -prof gc -rf json \
	-rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
