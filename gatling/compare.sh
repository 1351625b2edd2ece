#!/usr/bin/env bash
# Compares every strategy end to end over HTTP on this machine, then renders gatling/results/strategies.md and
# charts. Bounded: about 2 minutes per strategy. Usage: gatling/compare.sh [seconds per simulation] [rate]
set -euo pipefail
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-20}
RATE=${2:-300}
RAW=gatling/results/raw
rm -rf "$RAW" && mkdir -p "$RAW" gatling/target
build_app
./mvnw -q -B -pl gatling test-compile
trap stop_app EXIT

for strategy in sharded-rcu rwlock mutex static per-request; do
	echo "=== $strategy"
	start_app "$strategy" "gatling/target/app-$strategy.log"
	if [ "$strategy" = sharded-rcu ]; then
		simulate CeilingSimulation -Dusers=32 -DdurationSeconds="$SECONDS_PER_RUN" || true
		cp "$(latest_stats)" "$RAW/ceiling.json"
	fi
	failures=true
	case "$strategy" in mutex|per-request) failures=false ;; esac
	simulate InferenceSimulation -Dworkload=closed -Dusers=32 -DdurationSeconds="$SECONDS_PER_RUN" \
		-DexpectNoFailures="$failures" || true
	cp "$(latest_stats)" "$RAW/$strategy-saturation.json"
	simulate InferenceSimulation -Drate="$RATE" -DdurationSeconds="$SECONDS_PER_RUN" -DexpectNoFailures=false || true
	cp "$(latest_stats)" "$RAW/$strategy-open.json"
	if [ "$strategy" != static ]; then
		simulate ReloadUnderLoadSimulation -Drate="$RATE" -DdurationSeconds="$SECONDS_PER_RUN" \
			-DexpectNoFailures="$failures" || true
		cp "$(latest_stats)" "$RAW/$strategy-reload.json"
	fi
	simulate BurstSimulation -Dusers=1000 || true
	cp "$(latest_stats)" "$RAW/$strategy-burst.json"
	stop_app
done

./mvnw -q -B -pl gatling exec:java -Dexec.classpathScope=test \
	-Dexec.mainClass=io.github.modelregistry.gatling.report.StrategyReport \
	-Dexec.args="$RAW gatling/results $SECONDS_PER_RUN $RATE"
echo "Wrote gatling/results/strategies.md"
