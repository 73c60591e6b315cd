#!/bin/sh
# Search benchmark (issue 15): on the 10,000-page generated corpus, the size
# of the sharded index, and for a few queries the bytes a query loads and
# the time from typing to shown results in headless Chromium from disk
# (file://). Prints figures; nothing here passes or fails on time.
#
# Environment: BENCH_DIR (default /tmp/dossier-bench); SEARCH_PAGES (default
# 10000). Needs the browser tests' npm packages (make browser installs them).
set -eu
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/dossier-bench}
PAGES=${SEARCH_PAGES:-10000}
dir="$BENCH_DIR/search-$PAGES"
make -s build/dossier build/gen-corpus >/dev/null
if [ ! -d tests/browser/node_modules/playwright-core ]; then
	echo "== search: skipped (npm packages of tests/browser are not installed: make browser)"
	exit 0
fi
rm -rf "$dir"
mkdir -p "$BENCH_DIR"
./build/gen-corpus "$dir" "$PAGES" 1000
rm -rf "$dir/themes"; cp -R themes "$dir/themes"
./build/dossier build -C "$dir" -q 2>/dev/null || { echo "search bench: build failed" >&2; exit 1; }
files=$(find "$dir/public/search" -type f | wc -l)
size=$(du -sk --apparent-size "$dir/public/search" | cut -f1)
echo "== search index of $PAGES pages: $files files, $((size / 1024)) MB"
exec node tests/bench/search_bench.mjs "$dir/public"
