#!/usr/bin/env bash
# Compares the sample app's three inference protocols on this machine: V2 JSON REST, REST with the binary tensor
# data extension, and gRPC with raw contents (10 x 40 FP32 features to restaurant-ranker), plus the two trivial
# ceilings (REST GET /v2/health/live, gRPC ServerLive), at 32 and 256 requests in flight, for the sharded-rcu and
# rwlock strategies. The load comes from ProtocolLoad (gatling/src/main), a closed-loop driver in one JVM on the same
# machine. Renders gatling/results/protocols/protocols.md: medians [min–max] over the rounds, ratios within a round,
# and the goal "binary REST and gRPC each >= 1.3x JSON REST requests/s at 32 in flight".
#
# In each round the strategies take turns, each started once; then, per in-flight count, the three inference
# protocols in an order rotated by round, then the ceilings. Each run: RUN_WARMUP s not recorded, then the recorded
# seconds; the app's CPU ticks are read around the whole driver run and divided by every request it completed.
# Bounded: about 15 + 3 x APP_WARMUP + 10 x (seconds + RUN_WARMUP + 3 to 12) s per strategy per round (the last term
# the driver's start and the wait for a quiet JIT): 5.5 to 7 min with the defaults, 33 to 42 min in all.
#
# The app is the shipped sample app but for its bulkhead (512 concurrent inferences instead of 32) and time limit
# (10 s instead of 2 s), so that 256 requests in flight are served rather than refused.
#
# Usage: gatling/protocols.sh [seconds per run (10)] [rounds (3)]
# Environment: STRATEGIES ("sharded-rcu rwlock"), IN_FLIGHTS ("32 256"), RUN_WARMUP (5 s per run, not recorded),
# APP_WARMUP (40 s of each inference protocol after each start of the app, not recorded: JSON REST's request path
# takes the JIT that long; on 2026-12-02 a fresh app served 3,261 JSON requests/s in its first 40 s, then 7,200 to
# 7,700, and a 10 s warm-up left the first measured JSON run at half speed), APP_CPUS and DRIVER_CPUS (CPU lists
# for taskset: e.g. APP_CPUS=0 DRIVER_CPUS=1 gives the app one core and the driver the other, so that the app's own
# cost decides its throughput rather than what the driver leaves it), PROTOCOLS_OUT (gatling/results/protocols)
set -euo pipefail
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-10}
ROUNDS=${2:-3}
STRATEGIES=${STRATEGIES:-sharded-rcu rwlock}
IN_FLIGHTS=${IN_FLIGHTS:-32 256}
RUN_WARMUP=${RUN_WARMUP:-5}
APP_WARMUP=${APP_WARMUP:-40}
COMMAND="gatling/protocols.sh $*"
OUT=${PROTOCOLS_OUT:-gatling/results/protocols}
APP_CPUS=${APP_CPUS:-}
DRIVER_CPUS=${DRIVER_CPUS:-}
# app.sh's start_app runs the app under taskset when this is set
export APP_TASKSET=${APP_CPUS:+taskset -c $APP_CPUS}
RAW=$OUT/raw
WORK=gatling/target/protocols
DRIVER=gatling/target/gatling-0.1.0-SNAPSHOT-protocol-load.jar
CLK_TCK=$(getconf CLK_TCK)
INFERENCE=(json binary grpc)
HEADER="protocol	in_flight	seconds	requests	errors	rps	p50_ms	p99_ms	strategy	cpu_us_per_request"

for port in "$APP_PORT" "$MANAGEMENT_PORT" "$GRPC_PORT"; do
	if ! port_free "$port"; then
		echo "port $port is in use: another app would be measured; stop it or set APP_PORT, MANAGEMENT_PORT, GRPC_PORT" >&2
		exit 1
	fi
done
build_app
# The driver's jar (gatling/pom.xml: spring-boot-maven-plugin, classifier protocol-load). Offline first: everything
# it needs is usually in ~/.m2 already
if ! ./mvnw -o -q -B -pl gatling package -DskipTests; then
	echo "the offline build of the gatling module failed; building online" >&2
	./mvnw -q -B -pl gatling package -DskipTests
fi
rm -rf "$RAW" "$WORK" && mkdir -p "$RAW" "$WORK"
trap stop_app EXIT

# drive <protocol> <in flight> <seconds> <warm-up seconds> [more ProtocolLoad arguments...]
drive() {
	local protocol=$1 in_flight=$2 seconds=$3 warmup=$4
	shift 4
	${DRIVER_CPUS:+taskset -c "$DRIVER_CPUS"} java -Xms256m -Xmx1g -jar "$DRIVER" --protocol "$protocol" --in-flight "$in_flight" --seconds "$seconds" \
		--warmup "$warmup" --host localhost --http-port "$APP_PORT" --grpc-port "$GRPC_PORT" "$@"
}

# measure <round> <strategy> <in flight> <protocol>: one recorded run, appended to round-<round>.tsv
measure() {
	local round=$1 strategy=$2 in_flight=$3 protocol=$4 row=$WORK/row.tsv log=$WORK/driver.log rc=0
	local ticks0 ticks1 total cpu requests errors rps p50 p99
	rm -f "$row"
	jit_quiet 10
	ticks0=$(app_ticks)
	drive "$protocol" "$in_flight" "$SECONDS_PER_RUN" "$RUN_WARMUP" --out "$row" > /dev/null 2> "$log" || rc=$?
	ticks1=$(app_ticks)
	if [ "$rc" -ge 2 ] || [ ! -s "$row" ]; then
		echo "round $round, $strategy, $protocol at $in_flight in flight: the driver failed (exit $rc):" >&2
		cat "$log" >&2
		exit 1
	fi
	if [ "$rc" -ne 0 ]; then
		echo "round $round, $strategy, $protocol at $in_flight in flight: more than 0.5% errors; recorded anyway:" >&2
		grep '^ProtocolLoad:' "$log" >&2 || true
	fi
	total=$(sed -n 's/^total_completions=//p' "$log")
	cpu=$(awk -v t=$((ticks1 - ticks0)) -v hz="$CLK_TCK" -v n="${total:-0}" \
		'BEGIN { if (n > 0) printf "%.1f", t * 1000000 / hz / n; else print "-" }')
	printf '%s\t%s\t%s\n' "$(cat "$row")" "$strategy" "$cpu" >> "$RAW/round-$round.tsv"
	IFS=$'\t' read -r _ _ _ requests errors rps p50 p99 < "$row"
	echo "round $round, $strategy, $protocol at $in_flight in flight: $rps requests/s, p50 $p50 ms, p99 $p99 ms," \
		"$requests requests, $errors errors, $cpu app CPU µs/request"
}

for round in $(seq 1 "$ROUNDS"); do
	echo "$HEADER" > "$RAW/round-$round.tsv"
	# The inference protocols' order rotates by round, so that none always runs on the app as another left it
	order=()
	for i in $(seq 0 $((${#INFERENCE[@]} - 1))); do
		order+=("${INFERENCE[$(((i + round - 1) % ${#INFERENCE[@]}))]}")
	done
	if [ $((round % 2)) -eq 1 ]; then
		order+=(live-rest live-grpc)
	else
		order+=(live-grpc live-rest)
	fi
	for strategy in $STRATEGIES; do
		echo "=== round $round: $strategy (${order[*]})"
		# The shipped app admits 32 inferences per model and gives each 2 s: raised so that 256 in flight are
		# measured, not refused (the only changes from the shipped app)
		start_app "$strategy" "$WORK/app-$strategy.log" --resilience4j.bulkhead.configs.default.max-concurrent-calls=512 \
			--resilience4j.timelimiter.configs.default.timeout-duration=10s
		# The JIT compiles the request paths of a fresh app for about a minute of load (app.sh): each inference
		# protocol for APP_WARMUP s first, not recorded, so that the first measured protocol does not pay for it
		if [ "$APP_WARMUP" -gt 0 ]; then
			for protocol in "${INFERENCE[@]}"; do
				rc=0
				drive "$protocol" 32 "$APP_WARMUP" 0 > /dev/null 2> "$WORK/warm-up.log" || rc=$?
				if [ "$rc" -ge 2 ]; then
					echo "warm-up of $protocol failed:" >&2
					cat "$WORK/warm-up.log" >&2
					exit 1
				fi
			done
		fi
		for in_flight in $IN_FLIGHTS; do
			for protocol in "${order[@]}"; do
				measure "$round" "$strategy" "$in_flight" "$protocol"
			done
		done
		stop_app
	done
done

# --- The report -------------------------------------------------------------------------------------------------
# all.tsv: round, then the raw columns: 1 round 2 protocol 3 in_flight 4 seconds 5 requests 6 errors 7 rps 8 p50_ms
# 9 p99_ms 10 strategy 11 cpu_us_per_request
for round in $(seq 1 "$ROUNDS"); do
	awk -F'\t' -v r="$round" 'NR > 1 { print r "\t" $0 }' "$RAW/round-$round.tsv"
done > "$WORK/all.tsv"

# column <strategy> <in flight> <protocol> <field>: one value a line, one line per round
column() {
	awk -F'\t' -v s="$1" -v n="$2" -v p="$3" -v f="$4" '$10 == s && $3 == n && $2 == p && $f != "-" { print $f }' \
		"$WORK/all.tsv"
}
# ratio <strategy> <in flight> <protocol> <of protocol>: requests/s of the protocol ÷ of the other, per round
ratio() {
	awk -F'\t' -v s="$1" -v n="$2" -v p="$3" -v q="$4" '
		$10 == s && $3 == n && $2 == p { x[$1] = $7 } $10 == s && $3 == n && $2 == q { y[$1] = $7 }
		END { for (r in x) if (y[r] > 0) print x[r] / y[r] }' "$WORK/all.tsv"
}
# errors <strategy> <in flight> <protocol>: "<errors> (<share of all answers>%)" summed over the rounds
errors() {
	awk -F'\t' -v s="$1" -v n="$2" -v p="$3" '$10 == s && $3 == n && $2 == p { e += $6; a += $5 + $6 }
		END { printf "%d (%.2f%%)", e, (a > 0) ? 100 * e / a : 0 }' "$WORK/all.tsv"
}
# cell <decimals>: stats' "median min max" on standard input to "median [min–max]", or "–" without values
cell() {
	local m a b
	read -r m a b
	if [ "$m" = - ]; then
		echo "–"
	else
		fmt "$1" "$m" "$a" "$b"
	fi
}
goal() {
	awk -v m="$1" -v g="$2" 'BEGIN { print (m >= g) ? "met" : "**not met**" }'
}
label() {
	case "$1" in
		json) echo "JSON REST" ;;
		binary) echo "binary REST" ;;
		grpc) echo "gRPC" ;;
		live-rest) echo "REST ceiling (\`GET /v2/health/live\`)" ;;
		live-grpc) echo "gRPC ceiling (\`ServerLive\`)" ;;
	esac
}
MACHINE="$(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)), $(java -version 2>&1 | head -1)"
WHEN=$(date -u '+%Y-%m-%d %H:%M UTC')
{
	echo "# Protocols: JSON REST, binary REST and gRPC"
	echo
	echo "\`$COMMAND\` ($WHEN), on $MACHINE, repository at $(git rev-parse --short HEAD)" \
		"$( [ -n "$(git status --porcelain 2> /dev/null)" ] && echo "(with uncommitted changes)"), the sample app's" \
		"jar as built there ($APP_JAR)."
	echo
	echo "Every request infers 10 x 40 FP32 features with \`restaurant-ranker\` (output \`score\` [10, 1]): JSON REST" \
		"(\`POST /v2/models/restaurant-ranker/infer\`, the values with three decimals), binary REST (the same URL," \
		"the binary tensor data extension: a JSON header then 1600 bytes of little-endian float32, the output as" \
		"bytes too), gRPC (\`inference.GRPCInferenceService/ModelInfer\`, \`raw_input_contents\`, one HTTP/2 channel" \
		"per 32 in flight, round-robin). The ceilings: REST \`GET /v2/health/live\`, gRPC \`ServerLive\`."
	echo
	echo "The driver, \`ProtocolLoad\` (gatling/src/main; Reactor Netty's HttpClient with HTTP/1.1 keep-alive and a" \
		"connection per request in flight, grpc-java's async stubs), is a closed loop: N requests in flight at all" \
		"times, each completion issuing the next. **It runs on the same $(nproc)-core machine as the app**, in its own" \
		"JVM$( [ -n "$APP_CPUS$DRIVER_CPUS" ] && echo ", the app pinned to CPU(s) ${APP_CPUS:-any} and the driver to" \
			"${DRIVER_CPUS:-any} (taskset)"): the requests/s are what app and driver reach together on these cores, so" \
		"a protocol that is cheaper for the client also looks faster here. App CPU µs/request is the app process's alone (user + system from" \
		"\`/proc\`, all threads, read around the whole driver run and divided by every request it completed, the" \
		"warm-up's included)."
	echo
	echo "${ROUNDS} round(s). In each, the strategies ($STRATEGIES) take turns, each started once and warmed up" \
		"(${APP_WARMUP} s of each inference protocol at 32 in flight, not recorded); then per in-flight count" \
		"($IN_FLIGHTS) the three inference protocols in an order rotated by round, then the ceilings; each run" \
		"${RUN_WARMUP} s of warm-up, not recorded, then ${SECONDS_PER_RUN} s recorded, after the app's JIT has been" \
		"quiet for 2 s (at most 10 s of waiting). Requests/s counts successes; p50 and p99 are exact over every" \
		"success's latency. Errors: non-200 statuses, non-OK gRPC statuses and exceptions. The app is the shipped" \
		"sample app but for its bulkhead (512 concurrent inferences instead of 32) and time limit (10 s instead of" \
		"2 s), so that 256 in flight are served, not refused."
	echo
	echo "## Goal: binary REST and gRPC each ≥ 1.3x JSON REST requests/s at 32 in flight"
	echo
	echo "| strategy | binary ÷ JSON | gRPC ÷ JSON | goal (medians) |"
	echo "|---|---|---|---|"
	for strategy in $STRATEGIES; do
		read -r bm ba bb <<< "$(ratio "$strategy" 32 binary json | stats)"
		read -r gm ga gb <<< "$(ratio "$strategy" 32 grpc json | stats)"
		if [ "$bm" = - ] || [ "$gm" = - ]; then
			verdict="not measured"
		elif [ "$(goal "$bm" 1.3)" = met ] && [ "$(goal "$gm" 1.3)" = met ]; then
			verdict="met"
		else
			verdict="**not met**"
		fi
		echo "| $strategy | $(echo "$bm $ba $bb" | cell 2) | $(echo "$gm $ga $gb" | cell 2) | $verdict |"
	done
	for strategy in $STRATEGIES; do
		echo
		echo "## $strategy"
		echo
		echo "Medians [min–max] over the rounds."
		echo
		echo "| in flight | protocol | requests/s | p50 ms | p99 ms | app CPU µs/request | errors, all rounds |"
		echo "|---|---|---|---|---|---|---|"
		for in_flight in $IN_FLIGHTS; do
			for protocol in "${INFERENCE[@]}" live-rest live-grpc; do
				echo "| $in_flight | $(label "$protocol") | $(column "$strategy" "$in_flight" "$protocol" 7 | stats | cell 0)" \
					"| $(column "$strategy" "$in_flight" "$protocol" 8 | stats | cell 2)" \
					"| $(column "$strategy" "$in_flight" "$protocol" 9 | stats | cell 2)" \
					"| $(column "$strategy" "$in_flight" "$protocol" 11 | stats | cell 0)" \
					"| $(errors "$strategy" "$in_flight" "$protocol") |"
			done
		done
		echo
		echo "Requests/s ratios, computed within each round, medians [min–max]."
		echo
		echo "| in flight | binary ÷ JSON | gRPC ÷ JSON | JSON ÷ REST ceiling | binary ÷ REST ceiling | gRPC ÷ gRPC ceiling |"
		echo "|---|---|---|---|---|---|"
		for in_flight in $IN_FLIGHTS; do
			echo "| $in_flight | $(ratio "$strategy" "$in_flight" binary json | stats | cell 2)" \
				"| $(ratio "$strategy" "$in_flight" grpc json | stats | cell 2)" \
				"| $(ratio "$strategy" "$in_flight" json live-rest | stats | cell 2)" \
				"| $(ratio "$strategy" "$in_flight" binary live-rest | stats | cell 2)" \
				"| $(ratio "$strategy" "$in_flight" grpc live-grpc | stats | cell 2) |"
		done
	done
	echo
	echo "Raw rows: \`raw/round-<r>.tsv\` ($(echo "$HEADER" | tr '\t' ' '))."
} > "$OUT/protocols.md"
echo "Wrote $OUT/protocols.md"
