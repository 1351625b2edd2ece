#!/usr/bin/env bash
# The article's experiment end to end over HTTP, batching off and on (issue "dynamic batching"): 1,000 clients each
# keeping one V2 inference of a 10x40 batch in flight (`wrk -t1 -c1000`, a closed loop), against the sample app
# serving two models: the sample model (restaurant-ranker, ~7 µs per batch) and `wide`, generated here with hidden
# layers 4096,4096 (about 5 ms per 10x40 batch on one core, the article's cost). Each round starts the app once with
# batching off and once with it on (which goes first alternating by round), for each holder strategy in turn; ratios
# are taken within one round and one strategy. The physical limit without batching is measured in the same round:
# one client on `wide`, batching off, gives the time of one batch t, and 2 cores serve at most cores ÷ t of them.
# The app runs as the sample app ships, except what 1,000 clients in flight need: the bulkhead admits 1,000
# (it admits 32 by default and refuses the rest at once with 429) and the time limiter waits 60 s (2 s by default:
# without batching a request waits for ~1,000 ÷ 400/s = 2.5 s). The app's CPU per request comes from
# /proc/<pid>/stat. Writes gatling/results/batching/{batching.md,raw/}.
# Usage: gatling/batching.sh [seconds per run (10)] [rounds (3)] [strategies (sharded-rcu rwlock mutex)]
#   BATCHING_OUT  another directory for the report
#   APP_PORT, MANAGEMENT_PORT  as in app.sh
# About 12 minutes with the defaults. One run at a time; only wrk and curl load the app meanwhile.
set -euo pipefail
shopt -s inherit_errexit
set -E
trap 'echo "batching: FAILED (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
read -r -a STRATEGIES <<< "${3:-sharded-rcu rwlock mutex}"
CLIENTS=1000
OUT=${BATCHING_OUT:-gatling/results/batching}
RAW=$OUT/raw
WORK=gatling/target/batching-work
CLK_TCK=$(getconf CLK_TCK)
COMMAND="${BATCHING_OUT:+BATCHING_OUT=$BATCHING_OUT }gatling/batching.sh $SECONDS_PER_RUN $ROUNDS \"${STRATEGIES[*]}\""
fail() {
	echo "batching: FAILED: $*" >&2
	exit 1
}
[[ $SECONDS_PER_RUN =~ ^[1-9][0-9]*$ ]] || fail "seconds per run must be a positive integer, not '$SECONDS_PER_RUN'"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || fail "rounds must be a positive integer, not '$ROUNDS'"
command -v wrk > /dev/null || fail "wrk is not installed (apt-get install wrk)"
[ "$(ulimit -n)" -gt $((CLIENTS + 200)) ] || ulimit -n $((CLIENTS + 1000)) \
	|| fail "wrk needs more than $CLIENTS open files (ulimit -n)"
port_free "$APP_PORT" || fail "something already listens on port $APP_PORT"
mkdir -p gatling/target
exec 9> gatling/target/batching.lock
flock -n 9 || fail "another gatling/batching.sh is running (it holds gatling/target/batching.lock); wait for it"
rm -rf "$RAW" "$WORK" && mkdir -p "$RAW" "$WORK/models"
trap 'stop_app' EXIT

# --- The models: the sample's two versions, and `wide` from the project's own generator ---------------------------
./mvnw -q -B -pl sample-app,benchmarks -am -Pbenchmarks package -DskipTests
cp -r sample-app/src/main/resources/models/restaurant-ranker "$WORK/models/"
java -cp benchmarks/target/benchmarks.jar io.github.modelregistry.sample.generator.RestaurantModelGenerator \
	--out "$WORK/models" --name wide --hidden 4096,4096
wrk_post_script gatling/src/test/resources/infer-10x40.json "$WORK/infer.lua"
url() {
	echo "http://localhost:$APP_PORT/v2/models/$1/infer"
}

# run_wrk <connections> <model> <seconds> <output>
run_wrk() {
	wrk -t1 -c"$1" -d"$3s" --timeout 60s --latency -s "$WORK/infer.lua" "$(url "$2")" > "$4" 2>&1 \
		|| fail "wrk did not run; see $4"
}

# measure <round> <strategy> <off|on>: one app process: start, check, warm up, one run per model, stop
measure() {
	local round=$1 strategy=$2 batching=$3 model answer out ticks0 rps requests p50 p99 non2xx errors
	start_app "$strategy" "$WORK/app-$round-$strategy-$batching.log" \
		--model-registry.base-path="file:$PWD/$WORK/models" --model-registry.models.wide.load=eager \
		--model-registry.batching.enabled="$([ "$batching" = on ] && echo true || echo false)" \
		--resilience4j.bulkhead.configs.default.max-concurrent-calls=$CLIENTS \
		--resilience4j.timelimiter.configs.default.timeout-duration=60s
	for model in restaurant-ranker wide; do
		answer=$(curl -fsS -H 'Content-Type: application/json' \
			--data-binary @gatling/src/test/resources/infer-10x40.json "$(url "$model")") \
			|| fail "$model did not answer 200"
		[[ $answer == *'"outputs"'* ]] || fail "$model answered $answer"
	done
	# Warm-up: the JIT compiles the request path under the load it is measured with
	for model in restaurant-ranker wide restaurant-ranker wide; do
		run_wrk "$CLIENTS" "$model" 5 "$WORK/warm-up.wrk"
	done
	if [ "$batching" = off ]; then
		jit_quiet 20
		out=$RAW/round-$round-$strategy-wide-1-client.wrk
		run_wrk 1 wide "$SECONDS_PER_RUN" "$out"
		read -r rps requests p50 p99 non2xx errors <<< "$(wrk_figures "$out")"
		echo "$round $strategy $batching wide 1 $rps $requests $p50 $p99 0 $non2xx $errors" >> "$RAW/runs.tsv"
		echo "round $round, $strategy, batching off, wide, 1 client: p50 $p50 ms"
	fi
	for model in restaurant-ranker wide; do
		jit_quiet 20
		out=$RAW/round-$round-$strategy-$model-$batching.wrk
		ticks0=$(app_ticks)
		run_wrk "$CLIENTS" "$model" "$SECONDS_PER_RUN" "$out"
		read -r rps requests p50 p99 non2xx errors <<< "$(wrk_figures "$out")"
		[ "${requests:-0}" -gt 0 ] || fail "$model: wrk made no requests; see $out"
		[ "$non2xx" -eq 0 ] && [ "$errors" -eq 0 ] \
			|| fail "$strategy $model batching $batching: $non2xx non-2xx answers and $errors socket errors; see $out"
		# round strategy batching model clients requests/s requests p50_ms p99_ms app_ticks non-2xx socket_errors
		echo "$round $strategy $batching $model $CLIENTS $rps $requests $p50 $p99 $(( $(app_ticks) - ticks0 ))" \
			"$non2xx $errors" >> "$RAW/runs.tsv"
		echo "round $round, $strategy, batching $batching, $model: $rps requests/s, p50 $p50 ms, p99 $p99 ms"
	done
	stop_app
}

for round in $(seq 1 "$ROUNDS"); do
	if [ $((round % 2)) -eq 1 ]; then order=(off on); else order=(on off); fi
	for strategy in "${STRATEGIES[@]}"; do
		for batching in "${order[@]}"; do
			echo "=== round $round: $strategy, batching $batching"
			measure "$round" "$strategy" "$batching"
		done
	done
done

# --- The report ---------------------------------------------------------------------------------------------------
# pairs <strategy> <model> <awk expression of on (o) and off (f) fields>: one value per round
pairs() {
	awk -v s="$1" -v m="$2" -v hz="$CLK_TCK" '
		$2 == s && $4 == m && $5 != 1 { for (i = 1; i <= NF; i++) v[$1, $3, i] = $i; r[$1] = 1 }
		END { for (k in r) { for (i = 1; i <= 12; i++) { o[i] = v[k, "on", i]; f[i] = v[k, "off", i] } print '"$3"' } }' \
		"$RAW/runs.tsv"
}
# column <strategy> <model> <off|on> <awk expression of the fields>: one value per round
column() {
	awk -v s="$1" -v m="$2" -v b="$3" -v hz="$CLK_TCK" '$2 == s && $4 == m && $3 == b && $5 != 1 { print '"$4"' }' \
		"$RAW/runs.tsv"
}
CPU_US='$10 * 1000000 / hz / $7'
MACHINE="$(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(java -version 2>&1 | head -1)"
WHEN=$(date -u '+%Y-%m-%d %H:%M UTC')
single=$(awk '$5 == 1 { print $8 }' "$RAW/runs.tsv" | stats)
limit=$(awk -v p="$(echo "$single" | cut -d' ' -f1)" -v n="$(nproc)" 'BEGIN { printf "%.0f", n * 1000 / p }')
{
	echo "# Batching off and on, end to end over HTTP"
	echo
	echo "\`$COMMAND\`, $WHEN, on $MACHINE. $CLIENTS clients, each keeping one" \
		"\`POST /v2/models/<model>/infer\` of the 10×40 batch in flight (\`wrk -t1 -c$CLIENTS\`, closed loop), $ROUNDS" \
		"round(s) of ${SECONDS_PER_RUN} s runs after 20 s of warm-up; the app started once per strategy and setting" \
		"per round, batching off and on taking turns. The sample app as it ships (2 inference threads, batching" \
		"defaults: 64 rows, no delay) but with the bulkhead admitting $CLIENTS and a time limit of 60 s." \
		"Ratios on ÷ off within one round, median [min–max]. wrk shares the 2 cores with the app."
	echo
	echo "Physical limit without batching: one client on \`wide\` waits $(fmt 2 $single) ms per batch (p50, the" \
		"median over rounds [min–max]), so $(nproc) cores serve at most about $limit batches/s one at a time."
	echo
	echo "| model | strategy | requests/s off | requests/s on | throughput on ÷ off | p50 on ÷ off | p99 on ÷ off" \
		"| p50 ms off → on | app CPU µs/request off → on |"
	echo "|---|---|---|---|---|---|---|---|---|"
	for model in restaurant-ranker wide; do
		for strategy in "${STRATEGIES[@]}"; do
			echo "| $model | $strategy | $(fmt 0 $(column "$strategy" "$model" off '$6' | stats))" \
				"| $(fmt 0 $(column "$strategy" "$model" on '$6' | stats))" \
				"| $(fmt 2 $(pairs "$strategy" "$model" 'o[6] / f[6]' | stats))" \
				"| $(fmt 2 $(pairs "$strategy" "$model" 'o[8] / f[8]' | stats))" \
				"| $(fmt 2 $(pairs "$strategy" "$model" 'o[9] / f[9]' | stats))" \
				"| $(column "$strategy" "$model" off '$8' | stats | cut -d' ' -f1) →" \
				"$(column "$strategy" "$model" on '$8' | stats | cut -d' ' -f1)" \
				"| $(column "$strategy" "$model" off "$CPU_US" | stats | awk '{ printf "%.0f", $1 }') →" \
				"$(column "$strategy" "$model" on "$CPU_US" | stats | awk '{ printf "%.0f", $1 }') |"
		done
	done
	echo
	echo "Raw figures: \`raw/runs.tsv\` (round, strategy, batching, model, clients, requests/s, requests, p50 ms," \
		"p99 ms, app CPU ticks, non-2xx, socket errors) and one wrk output per run, beside this file."
} > "$OUT/batching.md"
echo "Wrote $OUT/batching.md"
cat "$OUT/batching.md"
