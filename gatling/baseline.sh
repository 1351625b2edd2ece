#!/usr/bin/env bash
# The sample app against what a Spring team could write in an afternoon (issue "the request path at the speed of its
# stack"): the bare WebFlux application of the baseline module (baseline/: a trivial route, and a naive V2-like
# inference on one ONNX Runtime session, no protection, no Spring Security, no Actuator) and the sample app, measured
# the same way in one run, taking turns:
#  - bare trivial:        GET  /live                                  ({"live":true})
#  - bare naive infer:    POST /infer                                 (the 10x40 body)
#  - sample trivial:      GET  /v2/health/live
#  - sample V2 infer:     POST /v2/models/restaurant-ranker/infer     (the same body)
#  - sample API:          POST /api/recommendations                   (Gatling's recommendations.json)
# Each app is started on its own, warmed up until its JIT has settled, then each endpoint gets one saturated run of
# `wrk -t1 -c32 --latency`; the app's CPU time per request comes from /proc/<pid>/task/*/stat, split by thread group
# (Netty's event loops, the inference pool, Reactor's parallel and boundedElastic schedulers, GC, JIT, the rest).
# The apps take turns within a round (which goes first rotating by round); ratios are taken within one round.
# Writes gatling/results/baseline/baseline.md (the report), headline.md (the headline table of docs/measurements.md, copied between
# its "headline" markers when the run has at least 3 rounds and writes to the default directory) and raw/.
# Usage: gatling/baseline.sh [seconds per run (8)] [rounds (3)] [sample app git refs, "." for this tree (.)]...
#   BASELINE_STRATEGIES  holder strategies of the sample app, each a separate app in the turns (sharded-rcu)
#   BASELINE_OUT         another directory for the report (then docs/measurements.md is left alone)
#   APP_PORT             as in app.sh; the bare app uses it too
# One run at a time (gatling/target/baseline.lock). Only wrk and curl load the apps: no Maven runs while measuring.
set -euo pipefail
shopt -s inherit_errexit
set -E
trap 'echo "baseline: FAILED (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-8}
ROUNDS=${2:-3}
shift 2 2> /dev/null || shift $#
REFS=("$@")
[ ${#REFS[@]} -gt 0 ] || REFS=(.)
read -r -a STRATEGIES <<< "${BASELINE_STRATEGIES:-sharded-rcu}"
OUT=${BASELINE_OUT:-gatling/results/baseline}
RAW=$OUT/raw
WORK=gatling/target/baseline-work
CLK_TCK=$(getconf CLK_TCK)
MODEL=restaurant-ranker
MODEL_FILE=sample-app/src/main/resources/models/$MODEL/2/model.onnx
COMMAND="${BASELINE_STRATEGIES:+BASELINE_STRATEGIES=\"$BASELINE_STRATEGIES\" }${BASELINE_OUT:+BASELINE_OUT=$BASELINE_OUT }gatling/baseline.sh $SECONDS_PER_RUN $ROUNDS ${REFS[*]}"
fail() {
	echo "baseline: FAILED: $*" >&2
	exit 1
}
[[ $SECONDS_PER_RUN =~ ^[1-9][0-9]*$ ]] || fail "seconds per run must be a positive integer, not '$SECONDS_PER_RUN'"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || fail "rounds must be a positive integer, not '$ROUNDS'"
command -v wrk > /dev/null || fail "wrk is not installed (apt-get install wrk)"
mkdir -p gatling/target
exec 9> gatling/target/baseline.lock
flock -n 9 || fail "another gatling/baseline.sh is running (it holds gatling/target/baseline.lock); wait for it"
rm -rf "$RAW" "$WORK" && mkdir -p "$RAW" "$WORK"

# --- The apps ---------------------------------------------------------------------------------------------------
# APPS: their names in turn order; KIND bare or sample; JAR; STRATEGY and COMMIT for the sample ones
APPS=(bare)
declare -A KIND JAR STRATEGY COMMIT
./mvnw -q -B -pl baseline -am package -DskipTests
cp baseline/target/baseline-app-0.1.0-SNAPSHOT.jar gatling/target/baseline-bare.jar
KIND[bare]=bare
JAR[bare]=gatling/target/baseline-bare.jar
COMMIT[bare]="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- baseline || echo ' + the working tree')"
THIS_TREE_JAR=$APP_JAR
for ref in "${REFS[@]}"; do
	build_ref "$ref" baseline || fail "the sample app at $ref did not build"
	for strategy in "${STRATEGIES[@]}"; do
		name=sample
		[ ${#REFS[@]} -gt 1 ] && name="$name@$ref"
		[ ${#STRATEGIES[@]} -gt 1 ] && name="$name/$strategy"
		APPS+=("$name")
		KIND[$name]=sample
		JAR[$name]=$BUILT_JAR
		STRATEGY[$name]=$strategy
		COMMIT[$name]=$BUILT_COMMIT
	done
done

# endpoints <kind>: the endpoints measured on an app of that kind
endpoints() {
	case "$1" in
		bare) echo "trivial infer" ;;
		sample) echo "trivial infer api" ;;
	esac
}
# endpoint_url <kind> <endpoint>
endpoint_url() {
	case "$1/$2" in
		bare/trivial) echo "http://localhost:$APP_PORT/live" ;;
		bare/infer) echo "http://localhost:$APP_PORT/infer" ;;
		sample/trivial) echo "http://localhost:$APP_PORT/v2/health/live" ;;
		sample/infer) echo "http://localhost:$APP_PORT/v2/models/$MODEL/infer" ;;
		sample/api) echo "http://localhost:$APP_PORT/api/recommendations" ;;
	esac
}
wrk_post_script gatling/src/test/resources/infer-10x40.json "$WORK/infer.lua"
wrk_post_script gatling/src/test/resources/recommendations.json "$WORK/api.lua"
# wrk_args <endpoint>: the script wrk needs for it, if any
wrk_args() {
	case "$1" in
		infer) echo "-s $WORK/infer.lua" ;;
		api) echo "-s $WORK/api.lua" ;;
	esac
}

start() {
	local app=$1 log=$2
	port_free "$APP_PORT" && port_free "$MANAGEMENT_PORT" \
		|| fail "port $APP_PORT or $MANAGEMENT_PORT is in use; set APP_PORT and MANAGEMENT_PORT to free ones"
	if [ "${KIND[$app]}" = sample ]; then
		APP_JAR=${JAR[$app]}
		start_app "${STRATEGY[$app]}" "$log" || fail "$app did not start; see $log"
		APP_JAR=$THIS_TREE_JAR
		return
	fi
	java -jar "${JAR[$app]}" --server.port="$APP_PORT" --baseline.model="file:$MODEL_FILE" > "$log" 2>&1 &
	APP_PID=$!
	for _ in $(seq 1 120); do
		if curl -fs "http://localhost:$APP_PORT/live" > /dev/null 2>&1; then
			return 0
		fi
		kill -0 "$APP_PID" 2> /dev/null || fail "the bare app did not start; see $log"
		sleep 0.5
	done
	fail "the bare app was not ready after 60 s; see $log"
}
trap stop_app EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# check_answers <app>: every endpoint answers 200 with what it should, before anything is measured
check_answers() {
	local kind=${KIND[$1]} endpoint answer
	for endpoint in $(endpoints "$kind"); do
		case "$endpoint" in
			trivial) answer=$(curl -fsS "$(endpoint_url "$kind" "$endpoint")") ;;
			infer) answer=$(curl -fsS -H 'Content-Type: application/json' \
				--data-binary @gatling/src/test/resources/infer-10x40.json "$(endpoint_url "$kind" "$endpoint")") ;;
			api) answer=$(curl -fsS -H 'Content-Type: application/json' \
				--data-binary @gatling/src/test/resources/recommendations.json "$(endpoint_url "$kind" "$endpoint")") ;;
		esac || fail "$1: $endpoint did not answer 200"
		case "$endpoint" in
			trivial) [[ $answer == *'"live":true'* ]] ;;
			infer) [[ $answer == *'"outputs"'* ]] ;;
			api) [[ $answer == *'"recommendations"'* ]] ;;
		esac || fail "$1: $endpoint answered $answer"
	done
}

# run_wrk <endpoint> <seconds> <output>
run_wrk() {
	# shellcheck disable=SC2046 # the script argument splits on purpose
	wrk -t1 -c32 -d"$2s" --latency $(wrk_args "$1") "$(endpoint_url "$KIND_NOW" "$1")" > "$3" 2>&1 \
		|| fail "wrk did not run; see $3"
}

# warm_up_endpoints <app>: every endpoint in 5 s runs, again and again, until two passes in a row compile for under 0.5 s
# (as app.sh's warm_up: a fresh app's throughput climbs for a minute while its JIT compiles the request path)
warm_up_endpoints() {
	local pass=0 settled=0 before after endpoint
	while :; do
		pass=$((pass + 1))
		before=$(jit_seconds)
		for endpoint in $(endpoints "$KIND_NOW"); do
			run_wrk "$endpoint" 5 "$WORK/warm-up.wrk"
		done
		after=$(jit_seconds)
		echo "$1 warm-up $pass: $(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }') s of JIT"
		if awk -v a="$after" -v b="$before" 'BEGIN { exit !(a - b < 0.5) }'; then
			settled=$((settled + 1))
		else
			settled=0
		fi
		[ "$settled" -ge 2 ] && break
		if [ "$pass" -ge 12 ]; then
			echo "baseline: $1 was still compiling after 12 passes; measuring anyway" >&2
			break
		fi
	done
}



# measure <app> <round>: one app process: start, check, warm up, one run per endpoint, stop
measure() {
	local app=$1 round=$2 endpoint threads0 ticks0 jit0 out
	KIND_NOW=${KIND[$app]}
	start "$app" "gatling/target/baseline-app-$round-${app//[^a-z0-9-]/_}.log"
	check_answers "$app"
	warm_up_endpoints "$app"
	for endpoint in $(endpoints "$KIND_NOW"); do
		jit_quiet 20
		out=$RAW/round-$round-${app//[^a-z0-9-]/_}-$endpoint.wrk
		threads0=$(thread_group_ticks)
		ticks0=$(app_ticks)
		jit0=$(jit_seconds)
		run_wrk "$endpoint" "$SECONDS_PER_RUN" "$out"
		read -r rps requests p50 p99 non2xx errors <<< "$(wrk_figures "$out")"
		[ "${requests:-0}" -gt 0 ] || fail "$app $endpoint: wrk made no requests; see $out"
		[ "$non2xx" -eq 0 ] && [ "$errors" -eq 0 ] \
			|| fail "$app $endpoint: $non2xx non-2xx answers and $errors socket errors; see $out"
		# round app endpoint requests/s requests p50_ms p99_ms app_ticks jit_s <ticks by THREAD_GROUPS>
		echo "$round $app $endpoint $rps $requests $p50 $p99" \
			"$(( $(app_ticks) - ticks0 ))" \
			"$(awk -v a="$(jit_seconds)" -v b="$jit0" 'BEGIN { printf "%.2f", a - b }')" \
			"$(group_ticks_since "$threads0")" >> "$RAW/runs.tsv"
		echo "round $round, $app $endpoint: $rps requests/s, p99 $p99 ms"
	done
	stop_app
}

for round in $(seq 1 "$ROUNDS"); do
	# The turn order rotates by round, so that no app always runs on the machine as the previous one left it
	order=()
	for i in $(seq 0 $((${#APPS[@]} - 1))); do
		order+=("${APPS[$(((i + round - 1) % ${#APPS[@]}))]}")
	done
	for app in "${order[@]}"; do
		echo "=== round $round: $app"
		measure "$app" "$round"
	done
done

# column <app> <endpoint> <awk expression over the runs.tsv fields>: one value a line, one line per round
column() {
	awk -v a="$1" -v e="$2" -v hz="$CLK_TCK" '$2 == a && $3 == e { print '"$3"' }' "$RAW/runs.tsv"
}
# ratio <app> <endpoint> <of app> <of endpoint> <field>: the field's app/endpoint ÷ of-app/of-endpoint, per round
ratio() {
	awk -v a="$1" -v e="$2" -v oa="$3" -v oe="$4" -v f="$5" '
		$2 == a && $3 == e { x[$1] = $f } $2 == oa && $3 == oe { y[$1] = $f }
		END { for (r in x) if (y[r] > 0) print x[r] / y[r] }' "$RAW/runs.tsv"
}
CPU_US='$8 * 1000000 / hz / $5'
label() {
	case "$1/$2" in
		bare/trivial) echo "bare trivial (\`GET /live\`)" ;;
		bare/infer) echo "bare naive infer (\`POST /infer\`)" ;;
		*/trivial) echo "$1 trivial (\`GET /v2/health/live\`)" ;;
		*/infer) echo "$1 V2 infer (\`POST /v2/models/$MODEL/infer\`)" ;;
		*/api) echo "$1 API (\`POST /api/recommendations\`)" ;;
	esac
}
MACHINE="$(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(java -version 2>&1 | head -1)"
WHEN=$(date -u '+%Y-%m-%d %H:%M UTC')
goal() {
	awk -v m="$1" -v g="$2" 'BEGIN { print (m >= g) ? "met" : "**not met**" }'
}
SAMPLES=("${APPS[@]:1}")
{
	echo "| endpoint | requests/s | p99 ms | app CPU µs/request |"
	echo "|---|---|---|---|"
	for app in "${APPS[@]}"; do
		for endpoint in $(endpoints "${KIND[$app]}"); do
			echo "| $(label "$app" "$endpoint") | $(fmt 0 $(column "$app" "$endpoint" '$4' | stats))" \
				"| $(fmt 1 $(column "$app" "$endpoint" '$7' | stats)) | $(fmt 0 $(column "$app" "$endpoint" "$CPU_US" | stats)) |"
		done
	done
	echo
	echo "| ratio, within one round | median [min–max] | goal |"
	echo "|---|---|---|"
	for app in "${SAMPLES[@]}"; do
		read -r m a b <<< "$(ratio "$app" trivial bare trivial 4 | stats)"
		echo "| $app trivial ÷ bare trivial, requests/s | $(fmt 2 "$m" "$a" "$b") | ≥ 0.8: $(goal "$m" 0.8) |"
		read -r m a b <<< "$(ratio "$app" infer bare infer 4 | stats)"
		echo "| $app V2 infer ÷ bare naive infer, requests/s | $(fmt 2 "$m" "$a" "$b") | ≥ 1.2: $(goal "$m" 1.2) |"
		read -r m a b <<< "$(ratio "$app" api bare infer 4 | stats)"
		echo "| $app API ÷ bare naive infer, requests/s | $(fmt 2 "$m" "$a" "$b") | |"
	done
	echo
	echo "\`$COMMAND\`, $WHEN, on $MACHINE; ${ROUNDS} round(s) of ${SECONDS_PER_RUN} s runs of \`wrk -t1 -c32\`."
} > "$WORK/headline.md"
{
	echo "# The sample app against a bare WebFlux baseline"
	echo
	echo "\`$COMMAND\` ($WHEN), on $MACHINE, $(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)."
	echo "${ROUNDS} round(s); in each, every app runs once in turn (the order rotating by round): started alone, warmed" \
		"up (every endpoint in 5 s runs of \`wrk\` until two passes in a row compile for under 0.5 s), then one" \
		"${SECONDS_PER_RUN} s run of \`wrk -t1 -c32 --latency\` per endpoint, after the JIT has been quiet for 2 s." \
		"wrk shares the 2 cores: the requests/s are the machine's, the CPU per request (the app process's user + system" \
		"time from \`/proc\`, all its threads) the app's. Every run answered only 2xx."
	echo
	echo "- bare: \`baseline/\` at ${COMMIT[bare]}: Spring Boot WebFlux, one functional route answering \`{\"live\":true}\`," \
		"and \`POST /infer\` binding the V2 JSON body with Jackson into records (\`float[][]\` data), one \`OrtSession\`" \
		"(the starter's default session options), \`publishOn(Schedulers.parallel())\`; no Spring Security, no Actuator," \
		"no limits, no metrics."
	for app in "${SAMPLES[@]}"; do
		echo "- $app: the sample app at ${COMMIT[$app]}, strategy \`${STRATEGY[$app]}\`, as shipped (tensor pool, bulkhead," \
			"time limiter, circuit breaker, metrics, Spring Security, Actuator on its own port)."
	done
	echo
	echo "## Headline"
	echo
	cat "$WORK/headline.md"
	echo
	echo "## Per endpoint, medians [min–max] over the rounds"
	echo
	echo "| endpoint | requests/s | p50 ms | p99 ms | app CPU µs/request | JIT s (max) |"
	echo "|---|---|---|---|---|---|"
	for app in "${APPS[@]}"; do
		for endpoint in $(endpoints "${KIND[$app]}"); do
			echo "| $(label "$app" "$endpoint") | $(fmt 0 $(column "$app" "$endpoint" '$4' | stats))" \
				"| $(fmt 2 $(column "$app" "$endpoint" '$6' | stats)) | $(fmt 1 $(column "$app" "$endpoint" '$7' | stats))" \
				"| $(fmt 0 $(column "$app" "$endpoint" "$CPU_US" | stats))" \
				"| $(column "$app" "$endpoint" '$9' | stats | awk '{ print $3 }') |"
		done
	done
	echo
	echo "## Where the CPU goes: app CPU µs per request by thread group, medians"
	echo
	echo "netty: Reactor Netty's event loops (HTTP, JSON, filters, observations); inference: the registry's pool" \
		"(\`model-inference-*\`); parallel: Reactor's parallel scheduler (timers, and the bare app's inference); elastic:" \
		"boundedElastic; gc; jit; other: everything else (Micrometer, ONNX Runtime's own threads, VM threads)."
	echo
	printf '| endpoint |'
	for group in $THREAD_GROUPS; do printf ' %s |' "$group"; done
	echo ' total |'
	printf '|---|'
	for group in $THREAD_GROUPS; do printf -- '---|'; done
	echo '---|'
	for app in "${APPS[@]}"; do
		for endpoint in $(endpoints "${KIND[$app]}"); do
			printf '| %s |' "$(label "$app" "$endpoint")"
			i=10
			for group in $THREAD_GROUPS; do
				printf ' %s |' "$(column "$app" "$endpoint" "\$$i * 1000000 / hz / \$5" | stats | awk '{ printf "%.0f", $1 }')"
				i=$((i + 1))
			done
			echo " $(column "$app" "$endpoint" "$CPU_US" | stats | awk '{ printf "%.0f", $1 }') |"
		done
	done
	echo
	echo "Raw figures in \`$RAW/\`: \`runs.tsv\` (round app endpoint requests/s requests p50_ms p99_ms app_ticks jit_s," \
		"then ticks by thread group: $THREAD_GROUPS; ${CLK_TCK} ticks/s) and each run's wrk output."
} > "$OUT/baseline.md"
cp "$WORK/headline.md" "$OUT/headline.md"
echo "Wrote $OUT/baseline.md"
if [ -z "${BASELINE_OUT:-}" ] && [ "$ROUNDS" -ge 3 ]; then
	# The headline table of docs/measurements.md is the last full run's: replaced between its markers
	awk -v table="$OUT/headline.md" '
		/<!-- headline:begin/ { print; while ((getline line < table) > 0) print line; skipping = 1; next }
		/<!-- headline:end/ { skipping = 0 }
		!skipping' docs/measurements.md > "$WORK/measurements.md"
	grep -q '<!-- headline:begin' docs/measurements.md || fail "docs/measurements.md has no <!-- headline:begin --> marker"
	cp "$WORK/measurements.md" docs/measurements.md
	echo "Updated the headline table in docs/measurements.md"
fi
cat "$OUT/baseline.md"
