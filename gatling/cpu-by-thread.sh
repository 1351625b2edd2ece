#!/usr/bin/env bash
# Where a request's CPU goes inside the app: starts the sample app (tensor pool as shipped, sharded-rcu), warms it
# up until its JIT has settled, then runs the HTTP ceiling and the 10x40 inference at saturation and, for each,
# prints the app's CPU time per request split by thread group (Netty's event loops, the inference pool, Reactor's
# parallel timers, GC, JIT, the rest), from /proc/<pid>/task/*/stat before and after the simulation.
# With JFR=1 it also records the inference run with Java Flight Recorder (profile settings) into
# gatling/target/inference.jfr; `jfr print --events jdk.ExecutionSample` shows where the threads were.
# Usage: [JFR=1] gatling/cpu-by-thread.sh [seconds per simulation (15)] [more application arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-15}
shift || true
mkdir -p gatling/target
build_app
./mvnw -q -B -pl gatling test-compile
trap stop_app EXIT

# thread_ticks: app.sh's thread_stats, sorted by thread id for join
thread_ticks() {
	thread_stats | LC_ALL=C sort
}

# per_request <simulation> <-D arguments...>: runs it, prints CPU µs per request by thread group. The difference is
# taken thread by thread: a thread that starts during the run counts from zero, one that ends is left out (its CPU
# is lost with it; the app's pools keep their threads at saturation, so this is noise).
per_request() {
	local before after requests
	before=$(thread_ticks)
	if ! simulate "$@" > gatling/target/cpu-by-thread.log 2>&1; then
		echo "$1 failed; see gatling/target/cpu-by-thread.log" >&2
		return 1
	fi
	after=$(thread_ticks)
	requests=$(awk '/"numberOfRequests"/ { getline; gsub(/[^0-9]/, ""); print; exit }' "$(latest_stats)")
	echo "$1: $requests requests, $(latest_rps) per second; the app's CPU µs per request by thread group:"
	printf '  %-28s %7s %7s %7s\n' group user system total
	LC_ALL=C join -t $'\t' -a 1 -e 0 -o 0,1.2,1.3,1.4,2.3,2.4 <(echo "$after") <(echo "$before") \
		| awk -F'\t' -v n="$requests" -v hz="$(getconf CLK_TCK)" 'BEGIN {
			label["netty"] = "event loops (Netty)"; label["inference"] = "inference pool"
			label["parallel"] = "Reactor parallel (timers)"; label["elastic"] = "Reactor boundedElastic"
			label["gc"] = "GC"; label["jit"] = "JIT"; label["other"] = "other"
		} {
			g = label[$2]; user[g] += ($3 - $5) * 1e6 / hz / n; sys[g] += ($4 - $6) * 1e6 / hz / n
		} END {
			for (g in user) {
				printf "  %-28s %7.1f %7.1f %7.1f\n", g, user[g], sys[g], user[g] + sys[g] | "sort"
				tu += user[g]; ts += sys[g]
			}
			close("sort")
			printf "  %-28s %7.1f %7.1f %7.1f\n", "all", tu, ts, tu + ts
		}'
}

start_app sharded-rcu gatling/target/app-cpu-by-thread.log "$@"
if [[ ${JFR:-0} == 1 ]]; then
	# Starting a recording deoptimises and recompiles much of the app: do it before the warm-up, which waits that out
	jcmd "$APP_PID" JFR.start name=warm-up settings=profile > /dev/null
fi
warm_up
per_request CeilingSimulation -Dusers=32 -DdurationSeconds="$SECONDS_PER_RUN"
if [[ ${JFR:-0} == 1 ]]; then
	# The second recording has the first one's settings, so stopping the first changes nothing the JIT compiled for
	jcmd "$APP_PID" JFR.start name=inference settings=profile > /dev/null
	jcmd "$APP_PID" JFR.stop name=warm-up > /dev/null
fi
per_request InferenceSimulation -Dworkload=closed -Dusers=32 -DdurationSeconds="$SECONDS_PER_RUN" \
	-DexpectNoFailures=true
if [[ ${JFR:-0} == 1 ]]; then
	jcmd "$APP_PID" JFR.stop name=inference filename="$PWD/gatling/target/inference.jfr" > /dev/null
	echo "recording: gatling/target/inference.jfr"
fi
