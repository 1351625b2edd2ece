#!/usr/bin/env bash
# The registration benchmark (about 3 minutes on 2 cores): time from registering a model at run time to its first
# answer, for the sample model and a 5 ms model, while the registry serves another; JMH, 3 forks. Writes JMH's text
# and JSON results to benchmarks/results/registration/.
set -euo pipefail
cd "$(dirname "$0")/.."

./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
out=benchmarks/results/registration
mkdir -p "$out"
java -cp benchmarks/target/benchmarks.jar org.openjdk.jmh.Main RegistrationBenchmark -rf json \
	-rff "$out/jmh.json" "$@" | tee "$out/jmh.txt"
