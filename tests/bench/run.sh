#!/bin/sh
# make bench: the scale table of issue 13 (tests/bench/scale.sh: dossier
# against Hugo and the floors at BENCH_N, default "1000 10000"); with
# BENCH_ALL=1 also the older benchmarks, each printing its own figures:
# entities, history, wording, search, adversarial, serve_edit. Measurements only: a
# figure that misses its target does not fail the run.
set -u
cd "$(dirname "$0")/../.."
st=0
sh tests/bench/scale.sh || { echo "bench: tests/bench/scale.sh failed" >&2; st=1; }
if [ "${BENCH_ALL:-0}" = 1 ]; then
	for b in entities history wording search adversarial serve_edit; do
		echo
		echo "== tests/bench/$b.sh"
		sh "tests/bench/$b.sh" || { echo "bench: tests/bench/$b.sh failed" >&2; st=1; }
	done
fi
exit $st
