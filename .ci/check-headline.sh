#!/usr/bin/env bash
# Checks that the headline table of docs/measurements.md (between its "headline" markers) is the one the load tool
# generated in its last published request-path run (docs/results/request-path.md): the figures are measured, never
# edited by hand. CI times nothing; this only compares text.
set -euo pipefail
cd "$(dirname "$0")/.."
generated=docs/results/request-path.md
[ -f "$generated" ] || { echo "check-headline: $generated is missing; run measure/run request-path" >&2; exit 1; }
block() {
	awk '/<!-- headline:end/ { inside = 0 } inside { print } /<!-- headline:begin/ { inside = 1 }' "$1"
}
if [ "$(block docs/measurements.md)" != "$(block "$generated")" ]; then
	echo "check-headline: the headline table of docs/measurements.md differs from $generated (edited by hand, or" \
		"not copied); run measure/run request-path (5 rounds or more publish it)" >&2
	diff <(block docs/measurements.md) <(block "$generated") >&2 || true
	exit 1
fi
echo "check-headline: the headline table of docs/measurements.md is the last published run's"
