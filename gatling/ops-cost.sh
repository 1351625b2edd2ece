#!/usr/bin/env bash
# Measures what the operations around inference cost the app (issue "operations that cost little"), for two builds
# ("variants") in one run:
#  1. The app's own CPU time per call of an anonymous GET /actuator/health, an authenticated GET /actuator/models,
#     the same GET with a wrong password (401) and an authenticated reload (POST /actuator/models/<model>, 200),
#     each called sequentially on one keep-alive connection by curl. Only the app process's CPU (utime + stime from
#     /proc/PID/stat, all its threads) counts: the client shares the 2 cores, but what it spends is its own.
#  2. What reloading every second does to inference at saturation: wrk (2 threads, 32 connections) on the V2 infer
#     endpoint for phases without reloads and phases with one authenticated reload per second, on the same app
#     process, in OPS_PAIRS (4) pairs per app in ABBA order (none-reloads, reloads-none, ...); the report gives
#     reloads ÷ none for throughput and p99 latency, paired within one pair of back-to-back phases. One pair per app
#     is not enough on this machine: back-to-back phases with no reloads at all differed by up to 25 %.
# Each round starts each variant's app once (which variant goes first alternates too), warms it up until its JIT has
# settled, then measures both. Only curl and wrk load the app: no Maven runs in this tree while measuring.
# Writes gatling/results/ops/ops.md (medians and min-max) and the raw figures in gatling/results/ops/raw/.
# Usage: gatling/ops-cost.sh [seconds per phase (15)] [rounds (3)] [git ref of "before" (78983a5), "-" for none]
#        [git ref of "after", or "." for this tree as it is (.)]
# Builds as app.sh's build_ref. APP_PORT, MANAGEMENT_PORT and PASSWORD as in app.sh; OPS_OUT another directory for the
# report (default gatling/results/ops); OPS_PARTS what to measure ("calls load"; "load" alone takes a fifth of the
# time); OPS_PAIRS the reload phases' pairs per app (4). One run at a time (gatling/target/ops-cost.lock).
set -euo pipefail
shopt -s inherit_errexit
# Whatever ends the script on an error says where: errexit alone ends it silently (a failed read in a pipeline did)
set -E
trap 'echo "ops-cost: FAILED (status $?) at line $LINENO: $BASH_COMMAND" >&2' ERR
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_PHASE=${1:-15}
ROUNDS=${2:-3}
BEFORE_REF=${3:-78983a5}
AFTER_REF=${4:-.}
COMMAND="${OPS_OUT:+OPS_OUT=$OPS_OUT }${OPS_PAIRS:+OPS_PAIRS=$OPS_PAIRS }${OPS_PARTS:+OPS_PARTS=\"$OPS_PARTS\" }APP_PORT=$APP_PORT MANAGEMENT_PORT=$MANAGEMENT_PORT gatling/ops-cost.sh $SECONDS_PER_PHASE $ROUNDS $BEFORE_REF $AFTER_REF"
MODEL=restaurant-ranker
OUT=${OPS_OUT:-gatling/results/ops}
RAW=$OUT/raw
WORK=gatling/target/ops-work
CLK_TCK=$(getconf CLK_TCK)
# CPU time per call: sequential calls in batches of one curl each (one connection per batch), until MOST calls or, for
# the dear ones, ENOUGH seconds of app CPU after at least LEAST calls: 5 s is 500 ticks at 100 Hz, so the figure's
# resolution (one tick ÷ calls) stays under 0.2 % of it, and well under 1 ms per call for the cheap ones (500 calls:
# 0.02 ms). Three repetitions per app, after a warm-up until each operation compiles next to nothing (warm_up_operation).
REPETITIONS=3
ENOUGH_SECONDS=5
PAIRS=${OPS_PAIRS:-4}
# What to measure: "calls" (CPU per operation call) and "load" (reloading every second under saturation)
PARTS=${OPS_PARTS:-calls load}
fail() {
	echo "ops-cost: FAILED: $*" >&2
	exit 1
}
[[ $SECONDS_PER_PHASE =~ ^[1-9][0-9]*$ ]] || fail "seconds per phase must be a positive integer, not '$SECONDS_PER_PHASE'"
[[ $ROUNDS =~ ^[1-9][0-9]*$ ]] || fail "rounds must be a positive integer, not '$ROUNDS'"
[[ $PAIRS =~ ^[1-9][0-9]*$ ]] || fail "OPS_PAIRS must be a positive integer, not '$PAIRS'"
# part <name>: true if it is measured
part() {
	[[ " $PARTS " == *" $1 "* ]]
}
part calls || part load || fail "OPS_PARTS must name calls, load or both, not '$PARTS'"

# Before anything is wiped: a second run would delete the first one's raw figures and work files, and share its ports
mkdir -p gatling/target
exec 9> gatling/target/ops-cost.lock
flock -n 9 || fail "another gatling/ops-cost.sh is running (it holds gatling/target/ops-cost.lock); wait for it"
port_free "$APP_PORT" && port_free "$MANAGEMENT_PORT" \
	|| fail "port $APP_PORT or $MANAGEMENT_PORT is in use; set APP_PORT and MANAGEMENT_PORT to free ones"
rm -rf "$RAW" "$WORK" && mkdir -p "$RAW" "$WORK"

# "-" as the "before" ref measures one build only
if [ "$BEFORE_REF" = - ]; then VARIANTS=(after); else VARIANTS=(before after); fi
declare -A JAR COMMIT REF
REF[before]=$BEFORE_REF
REF[after]=$AFTER_REF
for variant in "${VARIANTS[@]}"; do
	build_ref "${REF[$variant]}" ops || fail "no such git ref, or it did not build: ${REF[$variant]}"
	JAR[$variant]=$BUILT_JAR
	COMMIT[$variant]=$BUILT_COMMIT
done
THIS_TREE_JAR=$APP_JAR

# The POST of a valid 10x40 inference (InferenceSimulation's body and headers), for wrk
BODY=gatling/src/test/resources/infer-10x40.json
LUA=gatling/target/ops-infer.lua
wrk_post_script "$BODY" "$LUA"
INFER_URL=http://localhost:$APP_PORT/v2/models/$MODEL/infer
ACTUATOR=http://localhost:$MANAGEMENT_PORT/actuator

RELOAD_PID=
stop_reloads() {
	if [ -n "$RELOAD_PID" ]; then
		touch "$WORK/stop-reloads"
		wait "$RELOAD_PID" 2> /dev/null || true
		RELOAD_PID=
	fi
}
cleanup() {
	stop_reloads
	stop_app
}
trap cleanup EXIT
# So that the EXIT trap also runs (and stops the app) on Ctrl-C or kill
trap 'exit 130' INT
trap 'exit 143' TERM


# jit_thread_ticks: "<thread id> <ticks>" for each of the app's JIT compiler threads (app.sh's thread groups)
jit_thread_ticks() {
	thread_group_ticks | awk -F'\t' '$2 == "jit" { print $1, $3 }'
}

# jit_ticks_since <jit_thread_ticks output>: CPU ticks of the JIT's compiler threads since then, thread by thread: one
# that started meanwhile counts from zero, one that ended is left out (HotSpot adds and retires compiler threads as
# its queue grows and shrinks, so this can miss a little JIT, never count too much)
jit_ticks_since() {
	awk 'NR == FNR { before[$1] = $2; next } { total += $2 - before[$1] } END { print total + 0 }' \
		<(echo "$1") <(jit_thread_ticks)
}

# busy_ticks: CPU time of the whole machine so far, in clock ticks (user, nice, system, irq, softirq, steal): minus the
# app's, what the client and anyone else (another build) spent meanwhile, to tell a quiet measurement from a noisy one
busy_ticks() {
	awk '$1 == "cpu" { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat
}

now_ms() {
	echo $(( $(date +%s%N) / 1000000 ))
}

# curl_config <operation> <calls> <first reload version>: a curl config of <calls> calls of the operation, each
# writing its status code on a line; "next" between them keeps one connection (keep-alive) but takes fresh options
curl_config() {
	local operation=$1 calls=$2 version=$3 i
	for i in $(seq 1 "$calls"); do
		[ "$i" -gt 1 ] && echo next
		echo 'silent'
		echo 'output = "/dev/null"'
		echo 'write-out = "%{http_code}\n"'
		case "$operation" in
			health) echo "url = \"$ACTUATOR/health\"" ;;
			models) echo "url = \"$ACTUATOR/models\""; echo "user = \"operator:$PASSWORD\"" ;;
			models-wrong-password) echo "url = \"$ACTUATOR/models\""; echo "user = \"operator:wrong-$PASSWORD\"" ;;
			reload)
				# Alternating versions 1 and 2 (as ReloadUnderLoadSimulation), so that every reload replaces the model
				echo "url = \"$ACTUATOR/models/$MODEL\""; echo "user = \"operator:$PASSWORD\""
				echo 'header = "Content-Type: application/json"'
				echo "data = \"{\\\"version\\\":$version}\""
				version=$((3 - version))
				;;
		esac
	done
}

# expected_code <operation>: the status every call of it must answer (an extended regular expression); a wrong
# password is 401, or 429 once a build limits the bcrypt checks of unknown credentials (the sample since issue 18)
expected_code() {
	case "$1" in
		models-wrong-password) echo '401|429' ;;
		*) echo 200 ;;
	esac
}

# calls <operation> <calls>: <calls> sequential calls in one curl; fails the script unless every one answered the
# operation's expected status
RELOAD_VERSION=1
calls() {
	local operation=$1 count=$2 expected codes
	expected=$(expected_code "$operation")
	curl_config "$operation" "$count" "$RELOAD_VERSION" > "$WORK/curl.cfg"
	if [ "$operation" = reload ] && [ $((count % 2)) -eq 1 ]; then
		RELOAD_VERSION=$((3 - RELOAD_VERSION))
	fi
	codes=$(curl --config "$WORK/curl.cfg" || true)
	echo "$codes" >> "$WORK/answers"
	if [ "$(grep -cE "^($expected)\$" <<< "$codes")" -ne "$count" ]; then
		fail "$operation: expected $count answers $expected, got: $(sort <<< "$codes" | uniq -c | tr -s ' \n' ' ')" \
			"(app log: $LOG)"
	fi
}

# sizes <operation>: "batch least most" calls for it; reloads are dearer (a model load and its warm-up each)
sizes() {
	case "$1" in
		reload) echo "20 20 40" ;;
		*) echo "50 50 500" ;;
	esac
}

# jit_compiled: how many methods the app's JIT has compiled so far (jstat's Compiled column)
jit_compiled() {
	jstat -compiler "$APP_PID" | awk 'NR == 2 { print $1 }'
}

# cpu_per_call <operation> <record as (variant round repetition), or "warm-up">: batches of calls until enough, and the
# app CPU they took, appended to raw/cpu.tsv (unless a warm-up); sets COMPILED to the methods compiled meanwhile
cpu_per_call() {
	local operation=$1 record=$2 batch least most done=0 ticks0 busy0 ms0 jit0 compiled0 threads0 ticks=0
	read -r batch least most <<< "$(sizes "$operation")"
	# jstat first: it is a JVM of its own, whose start-up should not count as the client's share
	jit0=$(jit_seconds)
	compiled0=$(jit_compiled)
	threads0=$(jit_thread_ticks)
	: > "$WORK/answers"
	ticks0=$(app_ticks)
	busy0=$(busy_ticks)
	ms0=$(now_ms)
	while [ "$done" -lt "$most" ]; do
		calls "$operation" "$batch"
		done=$((done + batch))
		ticks=$(( $(app_ticks) - ticks0 ))
		if [ "$done" -ge "$least" ] && [ "$ticks" -ge $((ENOUGH_SECONDS * CLK_TCK)) ]; then
			break
		fi
	done
	local busy=$(( $(busy_ticks) - busy0 - ticks )) wall=$(( $(now_ms) - ms0 )) jit_ticks
	jit_ticks=$(jit_ticks_since "$threads0")
	COMPILED=$(( $(jit_compiled) - compiled0 ))
	CALLS=$done
	if [ "$record" != warm-up ]; then
		# variant round repetition operation code calls app_ticks other_ticks wall_ms jit_seconds compiled_methods
		# jit_thread_ticks answers (status×count,...: which of the expected statuses came, 401 or 429 for instance)
		echo "$record $operation $(expected_code "$operation" | sed 's/|/,/') $done $ticks $busy $wall" \
			"$(awk -v a="$(jit_seconds)" -v b="$jit0" 'BEGIN { printf "%.2f", a - b }') $COMPILED $jit_ticks" \
			"$( (grep . "$WORK/answers" || true) | sort | uniq -c | awk '{ printf "%s%s×%s", (n++ ? "," : ""), $2, $1 }')" \
			>> "$RAW/cpu.tsv"
	fi
}

# warm_up_operation <operation>: the operation's measurement, unrecorded, again and again until one compiled at most 5
# methods (at most 20 times). The saturated warm-up does not cover the Actuator's paths, and a path called one call
# at a time reaches the JIT's top tier slowly: measured on the sample app, GET /actuator/health still compiled 20 to
# 50 methods per 500 calls after 8,000 calls, and its CPU per call fell from 1.3 to 0.6 ms over the first 20,000
warm_up_operation() {
	local operation=$1 round=0 total=0
	while :; do
		round=$((round + 1))
		cpu_per_call "$operation" warm-up
		total=$((total + CALLS))
		if [ "$COMPILED" -le 5 ]; then
			echo "warm-up of $operation: settled after $total calls"
			return
		fi
		if [ "$round" -ge 20 ]; then
			echo "warm-up of $operation: still compiling after $total calls ($COMPILED methods in the last $CALLS);" \
				"measuring anyway (the table's figures without the JIT's threads are the steadier ones)" >&2
			return
		fi
	done
}

# reload_loop <codes file>: one authenticated reload per second (versions 1 and 2 in turn) until the stop file appears;
# a reload that takes longer than a second delays the next one. Each line: status code and seconds it took.
reload_loop() {
	local codes=$1 version=1 start k=0 wait_ms
	start=$(now_ms)
	while [ ! -e "$WORK/stop-reloads" ]; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -u "operator:$PASSWORD" \
			-H 'Content-Type: application/json' -d "{\"version\":$version}" "$ACTUATOR/models/$MODEL" >> "$codes" \
			|| echo "000 0" >> "$codes"
		version=$((3 - version))
		k=$((k + 1))
		wait_ms=$(( start + k * 1000 - $(now_ms) ))
		if [ "$wait_ms" -gt 0 ]; then
			sleep "$(printf '%d.%03d' $((wait_ms / 1000)) $((wait_ms % 1000)))"
		fi
	done
}

start_reloads() {
	rm -f "$WORK/stop-reloads"
	: > "$1"
	reload_loop "$1" &
	RELOAD_PID=$!
}

# wrk_run <seconds> <output file>: saturated inference, 2 threads and 32 connections (as the Gatling runs' 32 users)
wrk_run() {
	wrk -t2 -c32 -d"$1s" --latency -s "$LUA" "$INFER_URL" > "$2" 2>&1 || fail "wrk did not run; see $2"
}


# warm_up_app [most chunks (12)]: saturated inference in 10 s chunks, the first two with a reload every second (so
# that the reload path is compiled too), then without until two chunks in a row compile for less than half a second
# each (app.sh's warm_up, with wrk instead of Gatling, which would need Maven): otherwise the JIT's CPU lands on
# whichever measurement first runs the code, and throughput climbs meanwhile (measured: 1,000 to 7,000 inferences/s
# over the first five chunks of a fresh app). With reloads in every chunk it never settles: each reload's model load
# and warm-up set off compiles of their own (0.3 to 1.9 s per chunk, measured).
warm_up_app() {
	local most=${1:-12} chunk=0 settled=0 before after with
	while :; do
		chunk=$((chunk + 1))
		before=$(jit_seconds)
		with=no
		if [ "$chunk" -le 2 ]; then
			with=yes
			start_reloads "$WORK/warm-up-reloads"
		fi
		wrk_run 10 "$WORK/warm-up.wrk"
		stop_reloads
		after=$(jit_seconds)
		echo "warm-up $chunk: $(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }') s of JIT," \
			"$(awk '/^Requests\/sec:/ { printf "%d", $2 }' "$WORK/warm-up.wrk") inferences/s" \
			"$( [ "$with" = yes ] && awk '{ n[$1]++ } END { printf "reloads:"; for (c in n) printf " %s×%d", c, n[c] }' \
				"$WORK/warm-up-reloads" || echo "(no reloads)")"
		if [ "$with" = no ] && awk -v a="$after" -v b="$before" 'BEGIN { exit !(a - b < 0.5) }'; then
			settled=$((settled + 1))
		else
			settled=0
		fi
		if [ "$settled" -ge 2 ]; then
			break
		fi
		if [ "$chunk" -ge "$most" ]; then
			echo "warm-up: the JIT was still compiling after $most chunks; measuring anyway" >&2
			break
		fi
	done
}


# load_phase <variant> <round>.<pair> <none|reloads> <position 1|2>: one saturated wrk run, with or without a
# reload every second, appended to raw/load.tsv; the wrk output and reload codes stay in raw/
load_phase() {
	local variant=$1 round=$2 phase=$3 position=$4 prefix ticks0 busy0 jit0 ticks ok=0 total=0
	prefix=$RAW/$variant-round-$round-$phase
	jit0=$(jit_seconds)
	ticks0=$(app_ticks)
	busy0=$(busy_ticks)
	if [ "$phase" = reloads ]; then
		start_reloads "$prefix.reloads"
	fi
	wrk_run "$SECONDS_PER_PHASE" "$prefix.wrk"
	stop_reloads
	ticks=$(( $(app_ticks) - ticks0 ))
	if [ "$phase" = reloads ]; then
		total=$(wc -l < "$prefix.reloads")
		ok=$(grep -c '^200 ' "$prefix.reloads" || true)
		if [ "$ok" -ne "$total" ]; then
			fail "$variant round $round: $((total - ok)) of $total reloads under load did not answer 200" \
				"(see $prefix.reloads and $LOG)"
		fi
	fi
	read -r rps requests p50 p99 non2xx errors <<< "$(wrk_figures "$prefix.wrk")"
	if [ "${requests:-0}" -eq 0 ]; then
		fail "$variant round $round $phase: wrk made no requests; see $prefix.wrk"
	fi
	# variant round.pair phase position requests/s requests p50_ms p99_ms non2xx socket_errors app_ticks other_ticks
	# reloads_ok reloads jit_seconds
	echo "$variant $round $phase $position $rps $requests $p50 $p99 $non2xx $errors $ticks" \
		"$(( $(busy_ticks) - busy0 - ticks ))" "$ok $total" \
		"$(awk -v a="$(jit_seconds)" -v b="$jit0" 'BEGIN { printf "%.2f", a - b }')" >> "$RAW/load.tsv"
	echo "$variant round.pair $round, $phase: $rps inferences/s, p99 $p99 ms, non-2xx $non2xx, reloads $ok/$total"
}

# measure <variant> <round>: one app process of the variant: warm-up, CPU per call, then both load phases
measure() {
	local variant=$1 round=$2 operation repetition idle0 phases pair
	LOG=gatling/target/ops-app-$variant-round-$round.log
	port_free "$APP_PORT" && port_free "$MANAGEMENT_PORT" \
		|| fail "port $APP_PORT or $MANAGEMENT_PORT is in use; set APP_PORT and MANAGEMENT_PORT to free ones"
	APP_JAR=${JAR[$variant]}
	start_app sharded-rcu "$LOG" || fail "the $variant app did not start; see $LOG"
	APP_JAR=$THIS_TREE_JAR
	# Each operation must answer as expected before anything is measured: a build where the right password does not
	# give 200 stops the run here
	for operation in health models models-wrong-password reload; do
		calls "$operation" 2
	done
	[ "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
		-H 'Accept: application/json' --data-binary "@$BODY" "$INFER_URL")" = 200 ] \
		|| fail "$variant: the inference did not answer 200 (app log: $LOG)"
	warm_up_app
	# The load phases first, right after the warm-up left the infer path compiled, in pairs. Which goes first
	# alternates by pair (ABBA), so that a drift within one app lands on both alike.
	for pair in $(seq 1 "$PAIRS"); do
		part load || break
		if [ $(((round + pair) % 2)) -eq 0 ]; then phases=(none reloads); else phases=(reloads none); fi
		jit_quiet
		load_phase "$variant" "$round.$pair" "${phases[0]}" 1
		jit_quiet
		load_phase "$variant" "$round.$pair" "${phases[1]}" 2
	done
	if ! part calls; then
		stop_app
		return
	fi
	# Then the calls one by one, each operation warmed up until its path has settled in the JIT, and once more through
	# all four in the order they are measured in, so that what one operation's calls set off in another's code
	# (classes loaded, code deoptimised) is done before any is measured
	for operation in health models models-wrong-password reload; do
		warm_up_operation "$operation"
	done
	for operation in health models models-wrong-password reload; do
		cpu_per_call "$operation" warm-up
	done
	# What the app spends doing nothing (timers, the loader thread's listing, GC), to judge the cheap figures by
	jit_quiet
	idle0=$(app_ticks)
	sleep 10
	echo "$variant $round $(( $(app_ticks) - idle0 )) 10" >> "$RAW/idle.tsv"
	for repetition in $(seq 1 "$REPETITIONS"); do
		for operation in health models models-wrong-password reload; do
			jit_quiet
			cpu_per_call "$operation" "$variant $round $repetition"
		done
	done
	awk -v v="$variant" -v r="$round" -v hz="$CLK_TCK" '$1 == v && $2 == r {
		printf "%s round %s, %s: %.3f ms CPU per call, %.3f without the JIT threads (%d calls, %d methods compiled)\n",
			v, r, $4, $7 * 1000 / hz / $6, ($7 - $12) * 1000 / hz / $6, $6, $11 }' "$RAW/cpu.tsv"
	stop_app
}

for round in $(seq 1 "$ROUNDS"); do
	# Which build goes first alternates by round too
	if [ ${#VARIANTS[@]} -eq 1 ]; then order=("${VARIANTS[@]}")
	elif [ $((round % 2)) -eq 1 ]; then order=(before after)
	else order=(after before); fi
	for variant in "${order[@]}"; do
		echo "=== round $round: $variant (${REF[$variant]}, ${JAR[$variant]})"
		measure "$variant" "$round"
	done
done

# cpu_ms <variant> <operation> [without-jit]: ms of app CPU per call, one a line per repetition
cpu_ms() {
	awk -v v="$1" -v o="$2" -v j="${3:-}" -v hz="$CLK_TCK" \
		'$1 == v && $4 == o { print ($7 - (j != "" ? $12 : 0)) * 1000 / hz / $6 }' "$RAW/cpu.tsv"
}
# ratios <variant> <column>: reloads ÷ none of a load.tsv column, one a line per pair of phases
ratios() {
	awk -v v="$1" -v c="$2" '$1 == v { x[$2, $3] = $c; r[$2] = 1 } END {
		for (k in r) if (x[k, "none"] > 0) print x[k, "reloads"] / x[k, "none"] }' "$RAW/load.tsv"
}
{
	echo "# Operations that cost little: CPU per operation call, and reloading every second under load"
	echo
	echo "\`$COMMAND\` ($(date -u '+%Y-%m-%d %H:%M UTC')), on $(nproc) cores ($(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)," \
		"$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)), $(java -version 2>&1 | head -1);" \
		"$ROUNDS round(s): in each, every build's app runs once (which goes first alternating by round), warmed up" \
		"until its JIT has settled (10 s runs of saturated inference, the first two with a reload every second, until two" \
		"in a row without reloads compile for under 0.5 s each), then measured under load, then call by call. Before each" \
		"measurement the script waits until the JIT has compiled nothing for 2 s."
	echo
	for variant in "${VARIANTS[@]}"; do
		if [ "${REF[$variant]}" = . ]; then
			echo "- \`$variant\`: this tree (${COMMIT[$variant]})"
		else
			echo "- \`$variant\`: ${REF[$variant]} = ${COMMIT[$variant]}, \"$(git log -1 --format=%s "${COMMIT[$variant]}" | cut -c1-100)…\""
		fi
	done
	echo
	if part calls; then
	echo "## The app's CPU per call"
	echo
	echo "Calls one after another from curl on one keep-alive connection (a new one every batch of 50, 20 for reloads):" \
		"up to 500 calls (40 reloads), or fewer once they took ${ENOUGH_SECONDS} s of the app's CPU (at least 50, 20 reloads)," \
		"after a warm-up of each: the same calls unrecorded, again and again until they compiled at most 5 methods (a path" \
		"called one call at a time reaches the JIT's top tier only after thousands of calls). The figure is the app process's user + system CPU time during" \
		"the calls (\`/proc/<pid>/stat\`, all its threads, ${CLK_TCK} ticks/s) ÷ calls; the client's CPU is not in it." \
		"\"Without JIT threads\" leaves out the JIT compiler threads' CPU (\`/proc/<pid>/task/*/stat\`, thread by thread):" \
		"the calls' own cost, steadier for the cheap operations, where a single large C2 compile can take as much CPU" \
		"as 500 calls." \
		"Every call's status was checked. ${REPETITIONS} repetitions per app × ${ROUNDS} round(s): median [min–max] ms."
	echo
	printf '| operation | status |'
	for variant in "${VARIANTS[@]}"; do printf ' `%s` ms/call | `%s` without JIT threads |' "$variant" "$variant"; done
	echo ' after ÷ before (medians, all / without JIT) | calls per repetition |'
	printf '|---|---|'
	for variant in "${VARIANTS[@]}"; do printf -- '---|---|'; done
	echo '---|---|'
	for operation in health models models-wrong-password reload; do
		case "$operation" in
			health) label='`GET /actuator/health`, anonymous' ;;
			models) label='`GET /actuator/models`, right password' ;;
			models-wrong-password) label='`GET /actuator/models`, wrong password' ;;
			reload) label="\`POST /actuator/models/$MODEL\` (reload, versions 1 and 2 in turn)" ;;
		esac
		printf '| %s | %s |' "$label" "$(expected_code "$operation" | sed 's/|/ or /')"
		for variant in "${VARIANTS[@]}"; do
			printf ' %s | %s |' "$(fmt 3 $(cpu_ms "$variant" "$operation" | stats))" \
				"$(fmt 3 $(cpu_ms "$variant" "$operation" without-jit | stats))"
		done
		read -r b _ <<< "$(cpu_ms before "$operation" | stats)"
		read -r a _ <<< "$(cpu_ms after "$operation" | stats)"
		read -r bj _ <<< "$(cpu_ms before "$operation" without-jit | stats)"
		read -r aj _ <<< "$(cpu_ms after "$operation" without-jit | stats)"
		printf ' %s |' "$(awk -v a="$a" -v b="$b" -v aj="$aj" -v bj="$bj" \
			'BEGIN { if (b > 0 && bj > 0) printf "%.2f / %.2f", a / b, aj / bj; else print "-" }')"
		echo " $(awk -v o="$operation" '$4 == o { print $6 }' "$RAW/cpu.tsv" | stats | awk '{ print ($2 == $3) ? $2 : $2 "–" $3 }') |"
	done
	echo
	for variant in "${VARIANTS[@]}"; do
		echo "- \`$variant\` idle (10 s with no calls, after the measurements' warm-up): $(awk -v v="$variant" -v hz="$CLK_TCK" \
			'$1 == v { printf "%s%.1f", (n++ ? ", " : ""), $3 * 1000 / hz / $4 }' "$RAW/idle.tsv") ms of CPU per second."
	done
	for variant in "${VARIANTS[@]}"; do
		echo "- \`$variant\` answers to the wrong password, all repetitions: $(awk -v v="$variant" \
			'$1 == v && $4 == "models-wrong-password" { n = split($13, a, ","); for (i = 1; i <= n; i++) {
				split(a[i], b, "×"); c[b[1]] += b[2] } } END { for (k in c) printf "%s%s × %d", (m++ ? ", " : ""), k, c[k] }' \
			"$RAW/cpu.tsv") (with 429 the figure is what a refused check costs, not a bcrypt check)."
	done
	echo "- JIT during the calls (from \`jstat -compiler\`): at most $(awk '{ print $10 }' "$RAW/cpu.tsv" | stats | awk '{ print $3 }') s" \
		"and $(awk '{ print $11 }' "$RAW/cpu.tsv" | stats | awk '{ print $3 }') methods in one measurement."
	echo "- Others' CPU during the calls (the machine's busy time minus the app's: curl, and anything else running):" \
		"median $(awk -v hz="$CLK_TCK" -v n="$(nproc)" '{ print $8 / hz / ($9 / 1000) / n * 100 }' "$RAW/cpu.tsv" \
			| stats | awk '{ printf "%.0f %% [%.0f–%.0f %%]", $1, $2, $3 }') of the machine."
	echo
	fi
	if part load; then
	echo "## Reloading every second under saturated load"
	echo
	echo "\`wrk -t2 -c32 -d${SECONDS_PER_PHASE}s --latency\` on \`POST /v2/models/$MODEL/infer\` (InferenceSimulation's 10×40" \
		"FP32 batch), once with no reloads and once while a loop reloads the model (\`POST /actuator/models/$MODEL\`," \
		"HTTP Basic, versions 1 and 2 in turn) once a second, on the same app one after the other, ${PAIRS} pairs per app" \
		"(which goes first alternating by pair). Ratios are reloads ÷ none within one pair of back-to-back phases." \
		"Goals: throughput ≥ 0.97," \
		"p99 ≤ 1.25. wrk runs on the app's 2 cores, so the absolute figures are the machine's, the ratios the app's."
	echo
	echo '| build | round.pair | first | inferences/s none | inferences/s reloads | throughput ratio | p99 ms none | p99 ms reloads | p99 ratio | non-2xx none / reloads | reloads (200 / all) | extra app CPU per reload, ms |'
	echo '|---|---|---|---|---|---|---|---|---|---|---|---|'
	for variant in "${VARIANTS[@]}"; do
		awk -v v="$variant" -v hz="$CLK_TCK" '$1 == v { x[$2, $3] = $0; if (!($2 in r)) { r[$2] = 1; order[++k] = $2 } } END {
			for (i = 1; i <= k; i++) {
				round = order[i]
				split(x[round, "none"], n, " "); split(x[round, "reloads"], l, " ")
				first = (n[4] == 1) ? "none" : "reloads"
				# The app CPU of the reload phase beyond what its inferences cost at the no-reload phase rate, per reload
				extra = (l[14] > 0 && n[6] > 0) ? sprintf("%.0f", (l[11] - l[6] * n[11] / n[6]) * 1000 / hz / l[14]) : "-"
				printf "| `%s` | %s | %s | %.0f | %.0f | %.3f | %.1f | %.1f | %.2f | %d / %d | %d / %d | %s |\n", v, round, first,
					n[5], l[5], l[5] / n[5], n[8], l[8], l[8] / n[8], n[9], l[9], l[13], l[14], extra
			} }' "$RAW/load.tsv"
	done
	echo
	echo '| build | throughput ratio, median [min–max] | goal ≥ 0.97 | p99 ratio, median [min–max] | goal ≤ 1.25 | pairs |'
	echo '|---|---|---|---|---|---|'
	for variant in "${VARIANTS[@]}"; do
		read -r tm tmin tmax <<< "$(ratios "$variant" 5 | stats)"
		read -r pm pmin pmax <<< "$(ratios "$variant" 8 | stats)"
		echo "| \`$variant\` | $(fmt 3 "$tm" "$tmin" "$tmax") | $(awk -v m="$tm" 'BEGIN { print (m >= 0.97) ? "met" : "**not met**" }')" \
			"| $(fmt 2 "$pm" "$pmin" "$pmax") | $(awk -v m="$pm" 'BEGIN { print (m <= 1.25) ? "met" : "**not met**" }')" \
			"| $(ratios "$variant" 5 | wc -l) |"
	done
	echo
	echo "- Extra app CPU per reload: the reload phase's app CPU minus its inferences × the no-reload phase's CPU per" \
		"inference, ÷ reloads. A rough estimate: at saturation the app takes all the CPU it can either way, and a few %" \
		"difference in the inferences' own cost between the two phases is as large as all the reloads; the reload row of" \
		"the first table is the clean figure (it includes the HTTP Basic check of the reload's credentials)."
	echo "- JIT during the phases (s, from \`jstat -compiler\`; near 0 if the warm-up did its job): max" \
		"$(awk '{ print $15 }' "$RAW/load.tsv" | stats | awk '{ print $3 }')."
	echo "- Others' CPU during the phases (the machine's busy time minus the app's: wrk, curl and anything else): median" \
		"$(awk -v hz="$CLK_TCK" -v n="$(nproc)" -v s="$SECONDS_PER_PHASE" '{ print $12 / hz / s / n * 100 }' "$RAW/load.tsv" \
			| stats | awk '{ printf "%.0f %% [%.0f–%.0f %%]", $1, $2, $3 }') of the machine."
	echo
	fi
	echo "Raw figures in \`$RAW/\`: \`cpu.tsv\` (variant round repetition operation status calls app_ticks other_ticks" \
		"wall_ms jit_s compiled_methods jit_thread_ticks answers), \`load.tsv\` (variant round.pair phase position requests/s requests p50_ms p99_ms non2xx" \
		"socket_errors app_ticks other_ticks reloads_ok reloads jit_s), \`idle.tsv\` (variant round app_ticks seconds)," \
		"and each phase's wrk output and reload status codes (code, seconds)."
} > "$OUT/ops.md"
echo "Wrote $OUT/ops.md"
cat "$OUT/ops.md"
