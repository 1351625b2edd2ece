#!/usr/bin/env bash
# The observation benchmark (about 3 minutes on 2 cores): what observing each inference (model.inference, one
# Micrometer observation) costs, off against on with Actuator's meter handler, on the sample model and on a model
# that answers at once, with JMH's GC profiler, 3 forks. Writes JMH's text and JSON results to
# benchmarks/results/observation/.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
out=benchmarks/results/observation
mkdir -p "$out"
java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main ObservationBenchmark -prof gc -rf json \
	-rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
