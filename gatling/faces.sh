#!/usr/bin/env bash
# The Spring MVC face against the WebFlux face and against a bare Spring MVC application (issue 37's measurement):
#  - mvc face:     face-app on Tomcat (spring.main.web-application-type=servlet), POST /v2/models/restaurant-ranker/infer
#  - webflux face: face-app on Reactor Netty (reactive), the same endpoint
#  - bare mvc:     the baseline as a bare Spring MVC app (servlet): POST /infer, Jackson into records, one OrtSession
# The same 10 x 40 FP32 body (gatling/src/test/resources/infer-10x40.json) to each, `wrk -t1 -c32 --latency`, on the
# same machine as the apps. The three run side by side (idle but for their turn); each is warmed up with wrk until
# its JIT compiles for less than half a second in a 10 s chunk, twice in a row; then the apps take turns, the first
# rotating by round, for the given rounds. The app's CPU per request comes from /proc/<pid>/stat around each run.
# Both faces run with the starters' defaults but the bulkhead raised to 512 and the time limiter to 10 s (as
# rest-wrk.sh), so that no request is refused: the bare app has neither.
# Writes gatling/results/faces/faces.md (medians [min-max] over rounds, and ratios within a round); the runs and
# logs stay in gatling/target/faces/raw.
# Usage: gatling/faces.sh [seconds per run (15)] [rounds (5)]. About 5 + rounds x 1 minutes with the defaults.
set -euo pipefail
shopt -s inherit_errexit
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-15}
ROUNDS=${2:-5}
OUT=gatling/results/faces
RAW=gatling/target/faces/raw
WORK=gatling/target/faces/work
CLK_TCK=$(getconf CLK_TCK)
MODELS=sample-app/src/main/resources/models
BODY=gatling/src/test/resources/infer-10x40.json
APPS=(mvc webflux bare)
declare -A PORT=([mvc]=18090 [webflux]=18092 [bare]=18094) PID URL
fail() {
	echo "faces: FAILED: $*" >&2
	exit 1
}
command -v wrk > /dev/null || fail "wrk is not installed (apt-get install wrk)"
for app in "${APPS[@]}"; do
	port_free "${PORT[$app]}" || fail "port ${PORT[$app]} is in use"
done
rm -rf "$RAW" "$WORK" && mkdir -p "$RAW" "$WORK" "$OUT"
# Fresh jars, copied so that a build during the run cannot swap them under the apps
./mvnw -q -B -pl baseline,face-app -am package -DskipTests
cp face-app/target/face-app-0.1.0-SNAPSHOT.jar "$WORK/face-app.jar"
cp baseline/target/baseline-app-0.1.0-SNAPSHOT.jar "$WORK/baseline.jar"
COMMIT="$(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' + the working tree')"
wrk_post_script "$BODY" "$WORK/infer.lua"

stop_all() {
	for app in "${APPS[@]}"; do
		if [ -n "${PID[$app]:-}" ] && kill -0 "${PID[$app]}" 2> /dev/null; then
			kill "${PID[$app]}"
			wait "${PID[$app]}" 2> /dev/null || true
		fi
	done
}
trap stop_all EXIT
FACE_ARGS=(--model-registry.base-path="file:$MODELS" --resilience4j.bulkhead.configs.default.max-concurrent-calls=512
	--resilience4j.timelimiter.configs.default.timeout-duration=10s --logging.level.io.github.modelregistry=WARN)
java -jar "$WORK/face-app.jar" --server.port="${PORT[mvc]}" --spring.main.web-application-type=servlet \
	"${FACE_ARGS[@]}" > "$RAW/mvc.log" 2>&1 &
PID[mvc]=$!
java -jar "$WORK/face-app.jar" --server.port="${PORT[webflux]}" --spring.main.web-application-type=reactive \
	"${FACE_ARGS[@]}" > "$RAW/webflux.log" 2>&1 &
PID[webflux]=$!
java -jar "$WORK/baseline.jar" --server.port="${PORT[bare]}" --spring.main.web-application-type=servlet \
	--baseline.model="file:$MODELS/restaurant-ranker/2/model.onnx" > "$RAW/bare.log" 2>&1 &
PID[bare]=$!
URL[mvc]=http://localhost:${PORT[mvc]}/v2/models/restaurant-ranker/infer
URL[webflux]=http://localhost:${PORT[webflux]}/v2/models/restaurant-ranker/infer
URL[bare]=http://localhost:${PORT[bare]}/infer

# Every app answers 200 with ten scores before anything is measured
for app in "${APPS[@]}"; do
	for _ in $(seq 1 120); do
		curl -fs -o "$WORK/$app.answer" -H 'Content-Type: application/json' --data-binary "@$BODY" "${URL[$app]}" \
			&& break
		kill -0 "${PID[$app]}" 2> /dev/null || fail "$app did not start; see $RAW/$app.log"
		sleep 0.5
	done
	grep -q '"shape":\[10,1\]' "$WORK/$app.answer" || fail "$app did not answer ten scores: $(cat "$WORK/$app.answer")"
done

ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}
compiled() {
	jstat -compiler "$1" | awk 'NR == 2 { print $4 }'
}
# Warm-up: 10 s chunks until two in a row compile for less than half a second (at most 12 chunks)
for app in "${APPS[@]}"; do
	settled=0
	for chunk in $(seq 1 12); do
		before=$(compiled "${PID[$app]}")
		wrk -t1 -c32 -d10s -s "$WORK/infer.lua" "${URL[$app]}" > "$WORK/warm.txt"
		after=$(compiled "${PID[$app]}")
		jit=$(awk -v a="$after" -v b="$before" 'BEGIN { printf "%.2f", a - b }')
		echo "warm-up $app $chunk: $jit s of JIT, $(wrk_figures "$WORK/warm.txt" | cut -d' ' -f1) requests/s"
		if awk -v j="$jit" 'BEGIN { exit !(j < 0.5) }'; then settled=$((settled + 1)); else settled=0; fi
		[ "$settled" -ge 2 ] && break
	done
done

echo "round	app	rps	requests	p50_ms	p99_ms	non_2xx	socket_errors	cpu_us_per_request" > "$RAW/runs.tsv"
for round in $(seq 1 "$ROUNDS"); do
	order=("${APPS[@]:$(((round - 1) % 3))}" "${APPS[@]:0:$(((round - 1) % 3))}")
	for app in "${order[@]}"; do
		sleep 2
		t0=$(ticks "${PID[$app]}")
		wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/infer.lua" "${URL[$app]}" > "$RAW/$round-$app.txt"
		t1=$(ticks "${PID[$app]}")
		read -r rps requests p50 p99 non2xx errors < <(wrk_figures "$RAW/$round-$app.txt")
		[ "$non2xx" = 0 ] && [ "$errors" = 0 ] || fail "$app answered $non2xx non-2xx and $errors socket errors in round $round"
		cpu=$(awk -v t=$((t1 - t0)) -v h="$CLK_TCK" -v n="$requests" 'BEGIN { printf "%.1f", t / h * 1e6 / n }')
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$app" "$rps" "$requests" "$p50" "$p99" "$non2xx" \
			"$errors" "$cpu" >> "$RAW/runs.tsv"
		echo "round $round $app: $rps requests/s, p99 $p99 ms, $cpu µs of app CPU per request"
	done
done

# column <app> <field number>: that field of every round of the app
column() {
	awk -F'\t' -v a="$1" -v f="$2" 'NR > 1 && $2 == a { print $f }' "$RAW/runs.tsv"
}
# ratio <app a> <app b> <field>: a ÷ b within each round
ratio() {
	awk -F'\t' -v a="$1" -v b="$2" -v f="$3" 'NR > 1 { v[$1, $2] = $f; r[$1] = 1 }
		END { for (k in r) printf "%.3f\n", v[k, a] / v[k, b] }' "$RAW/runs.tsv"
}
{
	echo "# The REST faces against a bare Spring MVC app"
	echo
	echo "\`gatling/faces.sh $SECONDS_PER_RUN $ROUNDS\` on $COMMIT, $(nproc) cores, $(date -u +%Y-%m-%d): the 10 x 40 FP32"
	echo "body, \`wrk -t1 -c32\` for $SECONDS_PER_RUN s per run, $ROUNDS alternating rounds after each app's warm-up;"
	echo "medians [min–max] over the rounds. CPU is the app's (user + system, from /proc) per request."
	echo
	echo "| app | app CPU per request (µs) | requests/s | p99 (ms) |"
	echo "|---|---|---|---|"
	for app in "${APPS[@]}"; do
		case "$app" in
			mvc) name="MVC face (Tomcat)" ;;
			webflux) name="WebFlux face (Reactor Netty)" ;;
			bare) name="bare Spring MVC app" ;;
		esac
		# shellcheck disable=SC2046
		echo "| $name | $(fmt 0 $(column "$app" 9 | stats)) | $(fmt 0 $(column "$app" 3 | stats)) |" \
			"$(fmt 2 $(column "$app" 6 | stats)) |"
	done
	echo
	echo "| ratio, within a round | median [min–max] | goal |"
	echo "|---|---|---|"
	# shellcheck disable=SC2046
	echo "| MVC face CPU per request ÷ bare MVC app's | $(fmt 2 $(ratio mvc bare 9 | stats)) | ≤ 1 |"
	# shellcheck disable=SC2046
	echo "| MVC face requests/s ÷ WebFlux face's | $(fmt 2 $(ratio mvc webflux 3 | stats)) | ≥ 0.8 |"
	# shellcheck disable=SC2046
	echo "| MVC face requests/s ÷ bare MVC app's | $(fmt 2 $(ratio mvc bare 3 | stats)) | |"
} > "$OUT/faces.md"
cat "$OUT/faces.md"
