#!/bin/sh
# Output and memory footprint (issue 13): `dossier build` of the generated
# corpus (tests/bench/gen_corpus.c, 1,000 entities) at each size in
# BENCH_PAGES; prints the content bytes, peak RSS (GNU time's maximum
# resident set size) and the output bytes by kind, each with its ratio to
# the content (issue 13's targets: output and memory at most 3x). Figures
# only, no pass or fail.
#
# Environment: BENCH_DIR (default /tmp/dossier-bench) holds the corpora (made
# by gen-corpus when missing); BENCH_PAGES (default "1000 10000").
set -eu
cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/dossier-bench}
BENCH_PAGES=${BENCH_PAGES:-1000 10000}
make -s build/dossier build/gen-corpus
if [ ! -x /usr/bin/time ]; then
	echo "footprint: skipped (/usr/bin/time, Debian's time, is not installed)"
	exit 0
fi
kb() { du -sk --apparent-size "$@" 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
row() { # name KB content_KB
	awk -v n="$1" -v k="$2" -v c="$3" 'BEGIN { printf "  %-34s %9.1f MB %6.2fx\n", n, k / 1024, k / c }'
}
for pages in $BENCH_PAGES; do
	dir=$BENCH_DIR/footprint-$pages
	if [ ! -d "$dir/content" ]; then
		rm -rf "$dir"
		build/gen-corpus "$dir" "$pages" 1000 >/dev/null
	fi
	rm -rf "$dir/themes"
	cp -R themes "$dir/themes"
	out=$dir/public
	/usr/bin/time -v build/dossier build -C "$dir" -o "$out" -q >"$dir/build.log" 2>&1 ||
		{ echo "footprint: build of $dir failed (see $dir/build.log)"; continue; }
	content=$(kb "$dir/content")
	rss=$(awk -F: '/Maximum resident set size/ { print $2 + 0 }' "$dir/build.log")
	echo "== $pages pages: content $(echo "$content" | awk '{ printf "%.1f", $1 / 1024 }') MB"
	row "peak RSS" "$rss" "$content"
	row "output, all" "$(kb "$out")" "$content"
	for d in "$out"/*/; do
		row "$(basename "$d")/ ($(find "$d" -type f | wc -l | tr -d ' ') files)" "$(kb "$d")" "$content"
	done
	row "entities/*/page-*.html" "$(kb "$out"/entities/*/page-*.html)" "$content"
	row "articles/*.paragraphs.js" "$(kb "$out"/articles/*.paragraphs.js)" "$content"
	row "search/d-*.js (page texts)" "$(kb "$out"/search/d-*.js)" "$content"
	row "search/t-*.js (postings)" "$(kb "$out"/search/t-*.js)" "$content"
	for f in "$out"/*; do
		[ -f "$f" ] && [ "$(kb "$f")" -ge 1024 ] && row "$(basename "$f")" "$(kb "$f")" "$content"
	done
done
