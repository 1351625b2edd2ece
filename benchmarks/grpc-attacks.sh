#!/usr/bin/env bash
# What hostile gRPC messages cost the sample app, before and after a change (about 4 minutes per commit on 2 cores):
# for each message, app CPU and peak resident memory per message against its size, then a well-behaved client's p99
# during the attack against a quiet window, in rounds alternating their order (GrpcAttackExperiment). Each commit's
# sample app is built from a clean worktree, so no stale jar is measured.
#   benchmarks/grpc-attacks.sh [rounds] [seconds per window] [commit...]   (default: 5 3 4c98594 HEAD)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-3}
if [ $# -gt 2 ]; then
	shift 2
	commits=("$@")
else
	commits=(4c98594 HEAD)
fi
out=benchmarks/results/grpc-attacks
mkdir -p "$out"
GRPC_PORT=${GRPC_PORT:-19090}

./mvnw -B -q -pl benchmarks -am -Pbenchmarks -DskipTests package
report="$out/report.md"
{
	echo "# Hostile gRPC messages against the sample app"
	echo
	echo "\`benchmarks/grpc-attacks.sh $rounds $seconds ${commits[*]}\`, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(java -version 2>&1 | head -1)."
	echo "A good client's p99: one closed-loop client on its own connection; the attack: another connection sending the message in a loop."
} > "$report"
for commit in "${commits[@]}"; do
	work=$(mktemp -d)
	git worktree add -q --detach "$work" "$commit"
	(cd "$work" && ./mvnw -B -q -pl sample-app -am package -DskipTests)
	jar="$work/sample-app/target/sample-app-0.1.0-SNAPSHOT-exec.jar"
	log=$(mktemp)
	java -jar "$jar" --server.port=18080 --management.server.port=18081 --spring.grpc.server.port="$GRPC_PORT" \
		--spring.security.user.password=attack-secret --logging.level.io.github.modelregistry=WARN > "$log" 2>&1 &
	pid=$!
	for _ in $(seq 1 120); do
		curl -fs http://localhost:18081/actuator/health/readiness > /dev/null 2>&1 && break
		sleep 0.5
	done
	{
		echo
		echo "## $commit ($(git rev-parse --short "$commit"))"
		echo
		java -cp benchmarks/target/benchmarks.jar io.github.modelregistry.benchmarks.GrpcAttackExperiment "$pid" "$GRPC_PORT" \
			"$rounds" "$seconds" 3
		echo
		echo "App log lines at WARN or ERROR during the run: $(grep -cE ' (WARN|ERROR) ' "$log" || true); stack trace lines: $(grep -cE '^\s+at ' "$log" || true)."
	} | tee -a "$report"
	kill "$pid"
	wait "$pid" 2> /dev/null || true
	rm -f "$log"
	git worktree remove --force "$work"
done
echo "Report: $report"
