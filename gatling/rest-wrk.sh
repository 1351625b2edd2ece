#!/usr/bin/env bash
# JSON REST against binary REST (the binary tensor data extension) with wrk, a load driver in C, so that the
# driver's own cost per request (ProtocolLoad's Reactor Netty client: about 90 µs on these cores) does not hide what
# the server's binary path saves: the same two bodies ProtocolLoad sends (ProtocolLoad --write-bodies), the 10 x 40
# FP32 batch to restaurant-ranker, plus the trivial GET /v2/health/live as the ceiling, 32 connections, one wrk
# thread, on the same machine as the app (sharded-rcu, bulkhead raised to 512 as in protocols.sh). After 40 s of each
# inference body, the three take turns for the given rounds; the app's CPU ticks are read around each run.
# Writes gatling/results/rest-wrk/rest-wrk.md (medians [min–max], binary ÷ JSON within a round) and raw/.
# Usage: gatling/rest-wrk.sh [seconds per run (15)] [rounds (3)]. About 2.5 + rounds x 0.8 minutes with the defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
. gatling/app.sh
SECONDS_PER_RUN=${1:-15}
ROUNDS=${2:-3}
OUT=gatling/results/rest-wrk
RAW=$OUT/raw
WORK=gatling/target/rest-wrk
DRIVER=gatling/target/gatling-0.1.0-SNAPSHOT-protocol-load.jar
if ! command -v wrk > /dev/null; then
	echo "wrk is not installed (apt-get install -y wrk)" >&2
	exit 1
fi
build_app
./mvnw -o -q -B -pl gatling package -DskipTests || ./mvnw -q -B -pl gatling package -DskipTests
rm -rf "$RAW" "$WORK" && mkdir -p "$RAW" "$WORK"
java -jar "$DRIVER" --write-bodies "$WORK"
for kind in json binary; do
	{
		echo "local f = io.open(\"$WORK/$kind.body\", \"rb\"); wrk.body = f:read(\"*a\"); f:close()"
		echo 'wrk.method = "POST"'
	} > "$WORK/$kind.lua"
done
{
	echo 'wrk.headers["Content-Type"] = "application/json"'
	echo 'wrk.headers["Accept"] = "application/json"'
} >> "$WORK/json.lua"
{
	echo 'wrk.headers["Content-Type"] = "application/octet-stream"'
	echo "wrk.headers[\"Inference-Header-Content-Length\"] = \"$(cat "$WORK/binary.header-length")\""
} >> "$WORK/binary.lua"

trap stop_app EXIT
start_app sharded-rcu "$WORK/app.log" --resilience4j.bulkhead.configs.default.max-concurrent-calls=512 \
	--resilience4j.timelimiter.configs.default.timeout-duration=10s
INFER=http://localhost:$APP_PORT/v2/models/restaurant-ranker/infer
LIVE=http://localhost:$APP_PORT/v2/health/live
# A binary answer is checked once: the header length and the octet-stream type come back
curl -fsS -o /dev/null -D "$WORK/binary.headers" -H 'Content-Type: application/octet-stream' \
	-H "Inference-Header-Content-Length: $(cat "$WORK/binary.header-length")" --data-binary "@$WORK/binary.body" "$INFER"
grep -qi '^inference-header-content-length:' "$WORK/binary.headers"
for kind in json binary; do
	wrk -t1 -c32 -d40s -s "$WORK/$kind.lua" "$INFER" > /dev/null
done
jit_quiet 30

HEADER="round	protocol	rps	requests	p50_ms	p99_ms	non_2xx	socket_errors	cpu_us_per_request"
echo "$HEADER" > "$RAW/runs.tsv"
for round in $(seq 1 "$ROUNDS"); do
	for kind in json binary live; do
		ticks0=$(app_ticks)
		if [ "$kind" = live ]; then
			wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" --latency "$LIVE" > "$RAW/round-$round-$kind.wrk"
		else
			wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" --latency -s "$WORK/$kind.lua" "$INFER" > "$RAW/round-$round-$kind.wrk"
		fi
		ticks1=$(app_ticks)
		read -r rps requests p50 p99 non2xx errors < <(wrk_figures "$RAW/round-$round-$kind.wrk")
		cpu=$(awk -v t="$((ticks1 - ticks0))" -v c="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN { printf "%.0f", t / c * 1e6 / n }')
		printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$kind" "$rps" "$requests" "$p50" "$p99" "$non2xx" \
			"$errors" "$cpu" | tee -a "$RAW/runs.tsv"
		jit_quiet 10
	done
done

col() {
	awk -F'\t' -v p="$1" -v f="$2" 'NR > 1 && $2 == p { print $f }' "$RAW/runs.tsv" | stats
}
ratio() {
	awk -F'\t' -v p="$1" -v q="$2" 'NR > 1 && $2 == p { x[$1] = $3 } NR > 1 && $2 == q { y[$1] = $3 }
		END { for (r in x) if (y[r] > 0) print x[r] / y[r] }' "$RAW/runs.tsv" | stats
}
row() {
	local kind=$1 label=$2
	# shellcheck disable=SC2046
	echo "| $label | $(fmt 0 $(col "$kind" 3)) | $(fmt 2 $(col "$kind" 5)) | $(fmt 1 $(col "$kind" 6)) | $(fmt 0 $(col "$kind" 9)) | $3 |"
}
{
	echo "# JSON REST and binary REST under wrk"
	echo
	echo "\`gatling/rest-wrk.sh $SECONDS_PER_RUN $ROUNDS\`, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD),"
	echo "$(nproc) cores, wrk -t1 -c32 on the same machine as the sample app (sharded-rcu); $ROUNDS rounds of"
	echo "$SECONDS_PER_RUN s per run after 40 s of each inference body. Medians [min–max] over the rounds; the ratio is"
	echo "taken within each round. Non-2xx answers and socket errors over all runs: $(awk -F'\t' 'NR > 1 { n += $7; e += $8 } END { print n + 0 ", " e + 0 }' "$RAW/runs.tsv")."
	echo
	echo "| request | requests/s | p50 ms | p99 ms | app CPU µs/request | ÷ JSON |"
	echo "|---|---|---|---|---|---|"
	# shellcheck disable=SC2046
	row json "JSON REST, 10×40 FP32" "1"
	# shellcheck disable=SC2046
	row binary "binary REST, the same batch" "$(fmt 2 $(ratio binary json))"
	row live "\`GET /v2/health/live\` (the ceiling)" ""
	echo
	echo "Raw: [runs.tsv](raw/runs.tsv) and wrk's own output per run in [raw/](raw/)."
} > "$OUT/rest-wrk.md"
cat "$OUT/rest-wrk.md"
