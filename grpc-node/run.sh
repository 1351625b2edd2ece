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

. gatling/app.sh
# GRPC_NODE_APP_JAR: another build of the sample app's exec jar to check instead of app.sh's
APP_JAR=${GRPC_NODE_APP_JAR:-$APP_JAR}
for port in "$APP_PORT" "$MANAGEMENT_PORT" "$GRPC_PORT"; do
	if ! port_free "$port"; then
		echo "port $port is in use: stop what listens there, or set APP_PORT, MANAGEMENT_PORT or GRPC_PORT" >&2
		exit 1
	fi
done

tmp=$(mktemp -d)
cleanup() {
	stop_app
	rm -rf "$tmp"
}
trap cleanup EXIT

cp grpc-node/package.json "$tmp/"
npm install --prefix "$tmp" --no-audit --no-fund --no-package-lock --loglevel=error

build_app
log=$tmp/app.log
if ! start_app sharded-rcu "$log"; then
	tail -n 50 "$log" >&2
	exit 1
fi

if ! NODE_PATH="$tmp/node_modules" node grpc-node/client.js "localhost:$GRPC_PORT" "http://localhost:$APP_PORT"; then
	echo "--- the last 50 lines of the app's log ---" >&2
	tail -n 50 "$log" >&2
	exit 1
fi
