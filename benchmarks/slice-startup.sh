#!/usr/bin/env bash
# How long the @ModelRegistryTest slice takes to start its context in a fresh JVM, against Spring Boot's own
# @JsonTest on the same class path: each round runs one test class of each kind in its own surefire JVM, taking
# turns, and reads Spring's "Started ... in N seconds" line. Usage: benchmarks/slice-startup.sh [rounds, default 7].
# Writes every run and the medians to benchmarks/results/slice-startup/startup.txt. About 20 s per round on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-7}
out=benchmarks/results/slice-startup
mkdir -p "$out"
./mvnw -B -q -pl model-registry-test -am -DskipTests install
classes=(StubStrategiesSliceTests InferenceProtectionSliceTests BootJsonSliceTests)
runs=$(mktemp)
for round in $(seq 1 "$rounds"); do
	for class in "${classes[@]}"; do
		seconds=$(./mvnw -B -o -q -pl model-registry-test surefire:test -Dtest="$class" \
			-Dsurefire.failIfNoSpecifiedTests=false 2>&1 \
			| sed -n "s/.*Started $class in \([0-9.]*\) seconds.*/\1/p" | head -1)
		echo "$round $class ${seconds:?no start-up line for $class}" | tee -a "$runs"
	done
done
{
	echo "# slice-startup.sh $rounds rounds, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, commit $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- model-registry-test autoconfigure || echo "+changes")"
	echo "# round class seconds"
	cat "$runs"
	echo "# class: median [min-max] seconds"
	for class in "${classes[@]}"; do
		awk -v c="$class" '$2 == c { print $3 }' "$runs" | sort -n | awk -v c="$class" \
			'{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
			printf "%s: %.2f [%.2f-%.2f]\n", c, m, v[1], v[NR] }'
	done
} > "$out/startup.txt"
rm -f "$runs"
tail -n "${#classes[@]}" "$out/startup.txt"
