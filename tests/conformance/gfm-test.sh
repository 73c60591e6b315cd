#!/bin/sh
# GFM conformance of every page kind: runs the 718 examples of cmark-gfm's
# spec.txt, extensions.txt and regression.txt through `dossier build` as an
# article .md, a topic, an entity and a top-level page, in safe and unsafe
# mode, and compares each with Debian's `cmark-gfm` command (same
# extensions) after the spec's normalize.py; the driver, gfm_test.py, lists
# the documented additions it takes out first. Then gfm_random.py does the
# same with GFM_RANDOM (default 1000) seeded random documents of each of
# its two generators (GFM_SEED, default 1).
#
#   sh tests/conformance/gfm-test.sh SHARED_DIR
#
# Prints "N passed, N failed" per kind and mode; exits 1 on any failure.
# Without SHARED_DIR/conformance/cmark-gfm it says so and exits 0.
set -u

shared=${1:-../shared}
bin=${DOSSIER:-build/dossier}
spec=$shared/conformance/cmark-gfm
if [ ! -d "$spec" ]; then
	echo "gfm-test: skipped: $spec not found"
	exit 0
fi
if ! command -v cmark-gfm >/dev/null 2>&1; then
	echo "gfm-test: the cmark-gfm command is missing (make deps installs Debian's cmark-gfm)" >&2
	exit 1
fi
if [ ! -x "$bin" ]; then
	echo "gfm-test: $bin not built (make build/dossier)" >&2
	exit 1
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
python3 "$(dirname "$0")/gfm_test.py" "$spec" "$bin" cmark-gfm "$work/spec" || exit 1
python3 "$(dirname "$0")/gfm_random.py" "$spec" "$bin" cmark-gfm "$work/random" \
	"${GFM_RANDOM:-1000}" "${GFM_SEED:-1}"
