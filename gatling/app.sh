#!/usr/bin/env bash
# Starts and stops the sample app for the Gatling scripts. Sourced, not run.
APP_JAR=sample-app/target/sample-app-0.1.0-SNAPSHOT-exec.jar
APP_PORT=${APP_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
GRPC_PORT=${GRPC_PORT:-19090}
PASSWORD=${PASSWORD:-gatling-operator-secret}

build_app() {
	if [ ! -f "$APP_JAR" ]; then
		./mvnw -q -B -pl sample-app -am package -DskipTests
	fi
}

# start_app <strategy> <log file> [more application arguments...]
start_app() {
	local strategy=$1 log=$2
	shift 2
	# APP_TASKSET: "taskset -c <cpus>" to pin the app (protocols.sh's APP_CPUS), empty otherwise
	${APP_TASKSET:-} java -jar "$APP_JAR" --server.port="$APP_PORT" --management.server.port="$MANAGEMENT_PORT" \
		--spring.grpc.server.port="$GRPC_PORT" \
		--spring.security.user.password="$PASSWORD" --model-registry.strategy="$strategy" \
		--logging.level.io.github.modelregistry=WARN "$@" > "$log" 2>&1 &
	APP_PID=$!
	for _ in $(seq 1 120); do
		if curl -fs "http://localhost:$MANAGEMENT_PORT/actuator/health/readiness" > /dev/null 2>&1; then
			return 0
		fi
		if ! kill -0 "$APP_PID" 2> /dev/null; then
			echo "The sample app did not start; see $log" >&2
			return 1
		fi
		sleep 0.5
	done
	echo "The sample app was not ready after 60 s; see $log" >&2
	return 1
}

stop_app() {
	if [ -n "${APP_PID:-}" ] && kill -0 "$APP_PID" 2> /dev/null; then
		kill "$APP_PID"
		wait "$APP_PID" 2> /dev/null || true
	fi
	APP_PID=
}

# simulate <simulation> <extra -D arguments...>: runs one simulation against the app
simulate() {
	local simulation=$1
	shift
	./mvnw -q -B -pl gatling gatling:test -Dgatling.simulationClass="io.github.modelregistry.gatling.$simulation" \
		-DbaseUrl="http://localhost:$APP_PORT" -DmanagementUrl="http://localhost:$MANAGEMENT_PORT" \
		-Dpassword="$PASSWORD" "$@"
}

# latest_stats: the js/stats.json of the newest Gatling run
latest_stats() {
	ls -td gatling/target/gatling/*/ | head -1 | sed 's:/$:/js/stats.json:'
}

# latest_rps: requests per second of the newest Gatling run, all requests
latest_rps() {
	awk '/"meanNumberOfRequestsPerSecond"/ { getline; gsub(/[^0-9.]/, ""); printf "%d", $0; exit }' "$(latest_stats)"
}

# jit_seconds: the app's JIT compile time so far, in seconds (jstat's Time column)
jit_seconds() {
	jstat -compiler "$APP_PID" | awk 'NR == 2 { print $4 }'
}

# port_free <port>: true if nothing listens on it; otherwise this script would measure someone else's app
port_free() {
	! (exec 3<> "/dev/tcp/localhost/$1") 2> /dev/null
}

# app_ticks: user + system CPU time of the app process so far, in clock ticks (fields 14 and 15 of /proc/PID/stat)
app_ticks() {
	awk '{ print $14 + $15 }' "/proc/$APP_PID/stat"
}

# wrk_figures <wrk output>: "requests/s requests p50_ms p99_ms non-2xx socket_errors"
wrk_figures() {
	awk '
		function ms(v) {
			if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
			if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
			if (v ~ /m$/) return substr(v, 1, length(v) - 1) * 60000
			if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
			return v + 0
		}
		/requests in/ { requests = $1 }
		/^ +50%/ { p50 = ms($2) }
		/^ +99%/ { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Non-2xx or 3xx responses:/ { non2xx = $NF }
		/Socket errors:/ { gsub(/[^0-9 ]/, ""); split($0, e, " +"); for (i in e) errors += e[i] }
		END { printf "%s %d %.3f %.3f %d %d\n", rps, requests, p50, p99, non2xx, errors }' "$1"
}

# --- The report -------------------------------------------------------------------------------------------------
# stats: numbers, one a line, to "median min max"
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (NR == 0) { print "- - -"; exit }
		m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		print m, v[1], v[NR] }'
}

# fmt <decimals> <median min max>: "median [min–max]"
fmt() {
	awk -v d="$1" -v m="$2" -v a="$3" -v b="$4" 'BEGIN { f = "%." d "f"; printf f " [" f "–" f "]", m, a, b }'
}

# jit_quiet [most seconds (30)]: waits until the JIT has compiled nothing for 2 s. Compiles are asynchronous: the
# queue that one measurement's calls leave behind would otherwise land on the next (measured: 0.5 to 1.3 s of JIT in
# the window of 500 health calls right after the reloads, as much CPU as the calls themselves)
jit_quiet() {
	local most=${1:-30} last now
	last=$(jstat -compiler "$APP_PID" | awk 'NR == 2 { print $1 }')
	for _ in $(seq 1 $((most / 2))); do
		sleep 2
		now=$(jstat -compiler "$APP_PID" | awk 'NR == 2 { print $1 }')
		if [ "$now" = "$last" ]; then
			return 0
		fi
		last=$now
	done
	echo "the JIT was still compiling after $most s; measuring anyway" >&2
}

# wrk_post_script <body file> <lua file>: a wrk script POSTing the file as JSON
wrk_post_script() {
	{
		echo 'wrk.method = "POST"'
		echo 'wrk.headers["Content-Type"] = "application/json"'
		echo 'wrk.headers["Accept"] = "application/json"'
		echo "wrk.body = [==[$(cat "$1")]==]"
	} > "$2"
}

# warm_up [most chunks (15)]: loads the app until its JIT has settled, not recorded. On 2 cores shared with Gatling
# the JIT needs about 45 s of CPU and a minute of load to compile the request path, and throughput climbs all the
# while (measured: 1,900, 3,700, 5,200, 7,200, 7,800, 8,200, 9,200, 9,200 inferences/s in successive 10 s runs of
# a fresh app), so a fixed short warm-up measures the JIT, not the app. Runs 10 s chunks of inference (and 5 s of
# the ceiling before and after) until two chunks in a row compile for less than half a second each (one such chunk
# can be a lull: throughput still rose by a fifth after one).
warm_up() {
	local most=${1:-15} chunk=0 settled=0 before after
	simulate CeilingSimulation -Dusers=32 -DdurationSeconds=5 > /dev/null || true
	while :; do
		chunk=$((chunk + 1))
		before=$(jit_seconds)
		# Failures are allowed here, so a failed simulate is a broken build or app: measuring on would be garbage
		if ! simulate InferenceSimulation -Dworkload=closed -Dusers=32 -DdurationSeconds=10 \
			-DexpectNoFailures=false > gatling/target/warm-up.log 2>&1; then
			echo "warm-up: the inference simulation did not run; see gatling/target/warm-up.log" >&2
			return 1
		fi
		after=$(jit_seconds)
		echo "warm-up $chunk: $(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }') s of JIT," \
			"$(latest_rps) inferences/s"
		if awk -v a="$after" -v b="$before" 'BEGIN { exit !(a - b < 0.5) }'; then
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
	simulate CeilingSimulation -Dusers=32 -DdurationSeconds=5 > /dev/null || true
}

# build_ref <git ref, or "." for this tree as it is> <prefix>: sets BUILT_JAR to the sample app's exec jar built from
# the ref and BUILT_COMMIT to what it was built from. A git ref is built in a worktree (gatling/target/<prefix>-tree-
# <commit>) and its jar kept as gatling/target/<prefix>-<commit>.jar for later runs; "." is built here with ./mvnw and
# copied to gatling/target/<prefix>-this-tree.jar, so that a build in this tree during a run cannot swap the jar under
# the app.
build_ref() {
	local ref=$1 prefix=$2 tree
	mkdir -p gatling/target
	if [ "$ref" = . ]; then
		./mvnw -q -B -pl sample-app -am package -DskipTests
		cp "$APP_JAR" "gatling/target/$prefix-this-tree.jar"
		BUILT_JAR=gatling/target/$prefix-this-tree.jar
		BUILT_COMMIT="$(git rev-parse --short HEAD) + the working tree's changes"
		return
	fi
	# Cached by commit, not by the ref's name, so that a moving ref (HEAD, a branch) is rebuilt when it moves
	BUILT_COMMIT=$(git rev-parse --short=7 "$ref^{commit}") || { echo "no such git ref: $ref" >&2; return 1; }
	BUILT_JAR=gatling/target/$prefix-$BUILT_COMMIT.jar
	if [ -f "$BUILT_JAR" ]; then
		return
	fi
	tree=gatling/target/$prefix-tree-$BUILT_COMMIT
	rm -rf "$tree"
	git worktree prune
	git worktree add --detach "$tree" "$BUILT_COMMIT"
	# Offline first: everything the build needs is usually in ~/.m2 already, and resolving online is slow
	if ! (cd "$tree" && ./mvnw -o -q -B -pl sample-app -am package -DskipTests); then
		echo "the offline build of $ref failed; building online" >&2
		(cd "$tree" && ./mvnw -q -B -pl sample-app -am package -DskipTests)
	fi
	cp "$tree/$APP_JAR" "$BUILT_JAR.tmp" && mv "$BUILT_JAR.tmp" "$BUILT_JAR"
	git worktree remove --force "$tree"
}

# thread_stats: "<thread id>\t<group>\t<user ticks>\t<system ticks>" for each of the app's threads, grouped by name:
# netty (Reactor Netty's event loops), inference (the registry's pool), parallel (Reactor's parallel scheduler:
# timers, and the baseline's inference), elastic (Reactor's boundedElastic), gc, jit, other
thread_stats() {
	for stat in /proc/"$APP_PID"/task/*/stat; do
		# The thread name is field 2, in parentheses and possibly with spaces: split after the last ')'. A thread that
		# ended since the glob is skipped: its failed read must not fail a pipeline under pipefail
		sed -E 's/^([0-9]+) \((.*)\) (.*)$/\1\t\2\t\3/' "$stat" 2> /dev/null || true
	done | awk -F'\t' '{
		split($3, f, " ")
		name = $2
		if (name ~ /^reactor-http/) group = "netty"
		else if (name ~ /^model-inference/) group = "inference"
		else if (name ~ /^parallel-/) group = "parallel"
		else if (name ~ /^boundedElastic/) group = "elastic"
		else if (name ~ /GC|G1/) group = "gc"
		else if (name ~ /C1 Comp|C2 Comp|Compiler/) group = "jit"
		else group = "other"
		# Fields 14 and 15 of stat are utime and stime; f starts at field 3
		print $1 "\t" group "\t" f[12] "\t" f[13]
	}'
}

# thread_group_ticks: "<thread id>\t<group>\t<user + system ticks>" for each of the app's threads (thread_stats)
thread_group_ticks() {
	thread_stats | awk -F'\t' '{ print $1 "\t" $2 "\t" $3 + $4 }'
}

# THREAD_GROUPS: the groups of thread_group_ticks, in the order reports print them
THREAD_GROUPS="netty inference parallel elastic gc jit other"

# group_ticks_since <thread_group_ticks output>: "<ticks>" per group of THREAD_GROUPS since then, space-separated,
# thread by thread (a thread that started meanwhile counts from zero, one that ended is left out)
group_ticks_since() {
	awk -F'\t' -v groups="$THREAD_GROUPS" 'NR == FNR { before[$1] = $3; next } { d[$2] += $3 - before[$1] }
		END { n = split(groups, g, " "); for (i = 1; i <= n; i++) printf "%s%d", (i > 1 ? " " : ""), d[g[i]] + 0; print "" }' \
		<(echo "$1") <(thread_group_ticks)
}
