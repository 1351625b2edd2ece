#!/usr/bin/env bash
# Interoperability check for CI: an independent Node client (@grpc/grpc-js) against the sample app's Open Inference
# Protocol gRPC service, its grpc.health.v1 service and, for the same scores, its REST face. The npm packages go to a
# temporary folder and the app logs there too, so nothing lands in the repository. Fails when any check fails.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
	apt-get update -q && apt-get install -y -q nodejs npm
fi
node --version

if ! command -v curl > /dev/null 2>&1; then
	apt-get update -q && apt-get install -y -q curl
fi
# GRPC_NODE_APP_JAR: another build of the sample app's exec jar to check instead of this tree's
APP_JAR=${GRPC_NODE_APP_JAR:-sample-app/target/sample-app-0.1.0-SNAPSHOT-exec.jar}
APP_PORT=${APP_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
GRPC_PORT=${GRPC_PORT:-19090}
for port in "$APP_PORT" "$MANAGEMENT_PORT" "$GRPC_PORT"; do
	if (exec 3<> "/dev/tcp/localhost/$port") 2> /dev/null; then
		echo "port $port is in use: stop what listens there, or set APP_PORT, MANAGEMENT_PORT or GRPC_PORT" >&2
		exit 1
	fi
done
APP_PID=
stop_app() {
	if [ -n "$APP_PID" ] && kill -0 "$APP_PID" 2> /dev/null; then
		kill "$APP_PID"
		wait "$APP_PID" 2> /dev/null || true
	fi
}
# start_app <log>: the sample app on the ports above, until its readiness answers (at most 60 s)
start_app() {
	java -jar "$APP_JAR" --server.port="$APP_PORT" --management.server.port="$MANAGEMENT_PORT" \
		--spring.grpc.server.port="$GRPC_PORT" --spring.security.user.password=grpc-node-operator-secret \
		--logging.level.io.github.modelregistry=WARN > "$1" 2>&1 &
	APP_PID=$!
	for _ in $(seq 1 120); do
		curl -fs "http://localhost:$MANAGEMENT_PORT/actuator/health/readiness" > /dev/null 2>&1 && return 0
		kill -0 "$APP_PID" 2> /dev/null || { echo "The sample app did not start; see $1" >&2; return 1; }
		sleep 0.5
	done
	echo "The sample app was not ready after 60 s" >&2
	return 1
}

tmp=$(mktemp -d)
cleanup() {
	stop_app
	rm -rf "$tmp"
}
trap cleanup EXIT

cp grpc-node/package.json "$tmp/"
npm install --prefix "$tmp" --no-audit --no-fund --no-package-lock --loglevel=error

[ -f "$APP_JAR" ] || ./mvnw -q -B -pl sample-app -am package -DskipTests
log=$tmp/app.log
if ! start_app "$log"; then
	tail -n 50 "$log" >&2
	exit 1
fi

if ! NODE_PATH="$tmp/node_modules" node grpc-node/client.js "localhost:$GRPC_PORT" "http://localhost:$APP_PORT"; then
	echo "--- the last 50 lines of the app's log ---" >&2
	tail -n 50 "$log" >&2
	exit 1
fi
