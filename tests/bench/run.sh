#!/bin/sh
# make bench: every benchmark; each prints its own figures (no pass/fail).
set -u
cd "$(dirname "$0")/../.."
for b in tests/bench/entities.sh tests/bench/history.sh tests/bench/wording.sh tests/bench/search.sh tests/bench/footprint.sh; do
	if [ -f "$b" ]; then
		echo "== $b"
		sh "$b" || echo "bench: $b failed" >&2
	fi
done
