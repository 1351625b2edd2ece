#!/usr/bin/env bash
# The full benchmark run (about 10 minutes on 2 cores): builds benchmarks/target/benchmarks.jar, runs every
# benchmark with bounded durations, writes JMH's JSON and the experiment's JSON to benchmarks/results/, and renders
# benchmarks/results/RESULTS.md and the PNG charts there. Options go to BenchmarkRunner, for example:
#   benchmarks/run.sh --threads 1,2,4,8 --readers 4      # more threads on a bigger machine
#   benchmarks/run.sh --quick --out /tmp/results         # the smoke test's durations
# Re-render without re-running: java -cp benchmarks/target/benchmarks.jar \
#   io.github.modelregistry.benchmarks.report.ResultsRenderer benchmarks/results
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
java -Djava.awt.headless=true -jar benchmarks/target/benchmarks.jar --out benchmarks/results "$@"
