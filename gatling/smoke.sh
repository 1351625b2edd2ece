#!/usr/bin/env bash
# Smoke run for CI: the sample app on localhost, a short inference run and a reload-under-load run (under 60 s of
# load in all); fails when a Gatling assertion fails.
set -euo pipefail
cd "$(dirname "$0")/.."
. gatling/app.sh
build_app
mkdir -p gatling/target
trap stop_app EXIT
start_app sharded-rcu gatling/target/smoke-app.log
simulate InferenceSimulation -Drate=50 -DdurationSeconds=10
simulate ReloadUnderLoadSimulation -Drate=50 -DdurationSeconds=15
echo "Gatling smoke run passed"
