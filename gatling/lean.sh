#!/usr/bin/env bash
# Measures the infer path end to end before and after the allocation-lean work, in one run: the sample app built
# from a git ref ("before", default the last commit before it) and from this tree with the tensor pool off and on
# take turns in every round, each round starting with the next build; each runs the HTTP ceiling and the 10x40
# inference at saturation. Besides Gatling's statistics it records the app process's own CPU time during each
# simulation (utime + stime from /proc), so that the report can give the server's CPU per request, which the load
# generator's share of the cores does not blur.
# Writes gatling/results/lean/lean.md (medians and min-max over rounds) and the raw figures beside it.
# Usage: gatling/lean.sh [seconds per simulation (15)] [rounds (3)] [git ref of "before" (625bbca)]
set -euo pipefail
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-15}
ROUNDS=${2:-3}
BEFORE_REF=${3:-625bbca}
OUT=gatling/results/lean
RAW=$OUT/raw
rm -rf "$RAW" && mkdir -p "$RAW" gatling/target

# The "before" app, built in a worktree of the given commit
BEFORE_TREE=gatling/target/before-tree
BEFORE_JAR=gatling/target/before-app.jar
if [ ! -f "$BEFORE_JAR" ] || [ "$(cat gatling/target/before-app.ref 2> /dev/null)" != "$BEFORE_REF" ]; then
	rm -rf "$BEFORE_TREE"
	git worktree prune
	git worktree add --detach "$BEFORE_TREE" "$BEFORE_REF"
	(cd "$BEFORE_TREE" && ./mvnw -q -B -pl sample-app -am package -DskipTests)
	cp "$BEFORE_TREE/$APP_JAR" "$BEFORE_JAR"
	echo "$BEFORE_REF" > gatling/target/before-app.ref
	git worktree remove --force "$BEFORE_TREE"
fi
./mvnw -q -B -pl sample-app -am package -DskipTests
./mvnw -q -B -pl gatling test-compile
AFTER_JAR=$APP_JAR
trap stop_app EXIT

# cpu_ticks: user + system CPU time of the app process so far, in clock ticks (fields 14 and 15 of /proc/PID/stat)
cpu_ticks() {
	awk '{ print $14 + $15 }' "/proc/$APP_PID/stat"
}

# measure <file prefix> <simulation> <-D arguments...>: one simulation, its stats and the app's CPU ticks during it
measure() {
	local prefix=$1
	shift
	local before jit
	before=$(cpu_ticks)
	jit=$(jit_seconds)
	simulate "$@" || true
	# CPU ticks spent, ticks per second, seconds the JIT compiled meanwhile (near 0 if the warm-up did its job)
	echo "$(( $(cpu_ticks) - before )) $(getconf CLK_TCK) $(awk -v a="$(jit_seconds)" -v b="$jit" \
		'BEGIN { printf "%.2f", a - b }')" > "$prefix.cpu"
	cp "$(latest_stats)" "$prefix.json"
}

VARIANTS=(before pool-off pool-on)
for round in $(seq 1 "$ROUNDS"); do
	out="$RAW/round-$round"
	mkdir -p "$out"
	# Each round starts one build later, so that over as many rounds as builds every build runs in every position:
	# a drift within a round (measured: the same jar ran the same endpoint 6 % slower third than second in each of
	# three rounds) then lands on all builds alike instead of on whichever always ran last.
	shift_by=$(( (round - 1) % ${#VARIANTS[@]} ))
	for variant in "${VARIANTS[@]:shift_by}" "${VARIANTS[@]:0:shift_by}"; do
		echo "=== round $round: $variant"
		case "$variant" in
			before) APP_JAR=$BEFORE_JAR; extra=() ;;
			pool-off) APP_JAR=$AFTER_JAR; extra=(--model-registry.tensor-pool.enabled=false) ;;
			pool-on) APP_JAR=$AFTER_JAR; extra=() ;;
		esac
		start_app sharded-rcu "gatling/target/app-$variant.log" "${extra[@]}"
		# Until the JIT has settled (app.sh): its CPU would otherwise land on whichever simulation first runs the code
		warm_up
		measure "$out/$variant-ceiling" CeilingSimulation -Dusers=32 -DdurationSeconds="$SECONDS_PER_RUN"
		measure "$out/$variant-infer" InferenceSimulation -Dworkload=closed -Dusers=32 \
			-DdurationSeconds="$SECONDS_PER_RUN" -DexpectNoFailures=true
		stop_app
	done
done
APP_JAR=$AFTER_JAR

./mvnw -q -B -pl gatling exec:java -Dexec.classpathScope=test \
	-Dexec.mainClass=io.github.modelregistry.gatling.report.LeanReport \
	-Dexec.args="$RAW $OUT $SECONDS_PER_RUN $BEFORE_REF"
echo "Wrote $OUT/lean.md"
cat "$OUT/lean.md"
