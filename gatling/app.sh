#!/usr/bin/env bash
# Starts and stops the sample app for the Gatling scripts. Sourced, not run.
APP_JAR=sample-app/target/sample-app-0.1.0-SNAPSHOT-exec.jar
APP_PORT=${APP_PORT:-18080}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-18081}
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
	java -jar "$APP_JAR" --server.port="$APP_PORT" --management.server.port="$MANAGEMENT_PORT" \
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
