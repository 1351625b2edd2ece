#!/usr/bin/env bash
# Checks that the headline table of docs/measurements.md (between its "headline" markers) is the one gatling/baseline.sh generated
# in its last full run (gatling/results/baseline/headline.md): the figures are measured, never edited by hand. CI
# times nothing; this only compares text.
set -euo pipefail
cd "$(dirname "$0")/.."
generated=gatling/results/baseline/headline.md
[ -f "$generated" ] || { echo "check-headline: $generated is missing; run gatling/baseline.sh" >&2; exit 1; }
in_readme=$(awk '/<!-- headline:end/ { inside = 0 } inside { print } /<!-- headline:begin/ { inside = 1 }' docs/measurements.md)
if [ "$in_readme" != "$(cat "$generated")" ]; then
	echo "check-headline: the headline table of docs/measurements.md differs from $generated (edited by hand, or not copied);" \
		"run gatling/baseline.sh with 3 rounds or more, or copy the file between the markers" >&2
	diff <(echo "$in_readme") "$generated" >&2 || true
	exit 1
fi
echo "check-headline: the headline table of docs/measurements.md is the last full run's"
