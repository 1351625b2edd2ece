#!/usr/bin/env bash
# Compares every strategy end to end over HTTP on this machine, then renders gatling/results/strategies.md and
# charts. The strategies take turns in each round, so that noise on a shared machine spreads over all of them;
# the report gives medians and the min-max spread over the rounds. Bounded: about 3 minutes per strategy per round
# (half of it the warm-up).
# Usage: gatling/compare.sh [seconds per simulation (15)] [open-model rate (300)] [rounds (3)]
set -euo pipefail
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-15}
RATE=${2:-300}
ROUNDS=${3:-3}
RAW=gatling/results/raw
rm -rf "$RAW" && mkdir -p "$RAW" gatling/target
build_app
./mvnw -q -B -pl gatling test-compile
trap stop_app EXIT

for round in $(seq 1 "$ROUNDS"); do
	out="$RAW/round-$round"
	mkdir -p "$out"
	for strategy in sharded-rcu rwlock mutex static per-request; do
		echo "=== round $round: $strategy"
		start_app "$strategy" "gatling/target/app-$strategy.log"
		# Until the JIT has settled (app.sh), not recorded; the same rule for every strategy
		warm_up
		failures=true
		case "$strategy" in mutex|per-request) failures=false ;; esac
		simulate InferenceSimulation -Dworkload=closed -Dusers=32 -DdurationSeconds="$SECONDS_PER_RUN" \
			-DexpectNoFailures="$failures" || true
		cp "$(latest_stats)" "$out/$strategy-saturation.json"
		simulate InferenceSimulation -Drate="$RATE" -DdurationSeconds="$SECONDS_PER_RUN" -DexpectNoFailures=false || true
		cp "$(latest_stats)" "$out/$strategy-open.json"
		if [ "$strategy" != static ]; then
			simulate ReloadUnderLoadSimulation -Drate="$RATE" -DdurationSeconds="$SECONDS_PER_RUN" \
				-DexpectNoFailures="$failures" || true
			cp "$(latest_stats)" "$out/$strategy-reload.json"
		fi
		simulate BurstSimulation -Dusers=1000 || true
		cp "$(latest_stats)" "$out/$strategy-burst.json"
		if [ "$strategy" = sharded-rcu ]; then
			# Last, so that it does not warm this strategy's app up more than the others
			simulate CeilingSimulation -Dusers=32 -DdurationSeconds="$SECONDS_PER_RUN" || true
			cp "$(latest_stats)" "$out/ceiling.json"
		fi
		stop_app
	done
done

./mvnw -q -B -pl gatling exec:java -Dexec.classpathScope=test \
	-Dexec.mainClass=io.github.modelregistry.gatling.report.StrategyReport \
	-Dexec.args="$RAW gatling/results $SECONDS_PER_RUN $RATE"
echo "Wrote gatling/results/strategies.md"
