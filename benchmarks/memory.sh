#!/usr/bin/env bash
# Memory charged against resident memory growth (about 4 minutes on 2 cores, up to 8 GB of memory): for the sample
# model and a 5 ms model (67 MB of weights), 1, 10 and 50 models registered by name, each in a fresh JVM
# (MemoryChargeExperiment), its heap fixed and touched at start so that only native memory moves.
# Usage: benchmarks/memory.sh [rounds (3)]. Writes benchmarks/results/memory/memory.tsv.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
out=benchmarks/results/memory
mkdir -p "$out"
{
	echo "# benchmarks/memory.sh $rounds, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD), $(nproc) cores"
	printf 'round\tkind\tmodels\tcharged_mb\tresident_growth_mb\tcharged_per_growth\n'
	for round in $(seq 1 "$rounds"); do
		for kind in sample wide; do
			for models in 1 10 50; do
				printf '%s\t' "$round"
				java -Xms512m -Xmx512m -XX:+AlwaysPreTouch -cp benchmarks/target/benchmarks.jar \
					io.github.modelregistry.benchmarks.MemoryChargeExperiment "$kind" "$models" 2>/dev/null | tail -1
			done
		done
	done
} | tee "$out/memory.tsv"
