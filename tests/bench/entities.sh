#!/bin/sh
# Entity benchmark (issue 4): the one-pass matcher against a naive search,
# then `dossier build` on generated corpora of 1,000 and 10,000 pages with
# 1,000 entities. Reports figures; nothing here passes or fails on time.
#
# Environment: BENCH_DIR (default /tmp/dossier-bench) holds the corpora;
# BENCH_CHUNKS (default 10000) is the number of page-sized chunks the
# matcher benchmark scans; BENCH_PAGES (default "1000 10000") the corpus
# sizes; CC (default cc).
set -eu

cd "$(dirname "$0")/../.."
CC=${CC:-cc}
BENCH_DIR=${BENCH_DIR:-/tmp/dossier-bench}
BENCH_CHUNKS=${BENCH_CHUNKS:-10000}
BENCH_PAGES=${BENCH_PAGES:-1000 10000}
ENTITIES=1000
WARN="-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wimplicit-fallthrough"
DEFS="-D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700"
OUT=build/bench

now() { date +%s.%N; }
# Runs "$@" with output to $log; prints its exit status and CPU seconds
# (user + system, from the shell's `times`: steadier than wall time on a
# busy machine).
cpu_run() {
	( "$@" >"$log" 2>&1; echo "rc $?"; times ) | awk '
		/^rc / { rc = $2; next }
		{ u = $1; s = $2 }
		function secs(x, a) { split(x, a, /[ms]/); return a[1] * 60 + a[2] }
		END { printf "%d %.2f\n", rc, secs(u) + secs(s) }'
}
elapsed() { echo "$1 $2" | awk '{ printf "%.2f", $2 - $1 }'; }

# --- build the two programs against the library ---------------------------
if make -s build/libdossier.a >/dev/null 2>&1; then
	LIB="build/libdossier.a $(pkg-config --libs libutf8proc)" # utf8.c's classes
else
	# Someone's half-written module must not stop the benchmark.
	echo "note: build/libdossier.a does not build; using the sources it needs"
	LIB="generator/lib/matcher.c generator/lib/xalloc.c generator/lib/strbuf.c generator/lib/fsutil.c"
fi
mkdir -p "$OUT"
for prog in bench_matcher gen_corpus; do
	$CC $WARN -O2 $DEFS -iquote generator/lib -iquote generator/model -iquote generator/load -iquote generator/link -iquote generator/render -iquote generator/cmd -Itests/bench \
		-o "$OUT/$prog" "tests/bench/$prog.c" $LIB
done

echo "== entity matcher: one Aho-Corasick pass vs a strstr() per name"
"$OUT/bench_matcher" "$BENCH_CHUNKS"
echo

# --- corpora ----------------------------------------------------------------
echo "== generated corpora in $BENCH_DIR ($ENTITIES entities)"
mkdir -p "$BENCH_DIR"
for pages in $BENCH_PAGES; do
	dir="$BENCH_DIR/site-$pages"
	rm -rf "$dir"
	t0=$(now)
	"$OUT/gen_corpus" "$dir" "$pages" "$ENTITIES"
	t1=$(now)
	# The generator looks for themes next to the site.
	[ -e "$dir/themes" ] || cp -R themes "$dir/themes"
	size=$(du -sk --apparent-size "$dir/content" | cut -f1)
	echo "  $dir: $pages pages, $ENTITIES entities, $((size / 1024)) MB of content, generated in $(elapsed "$t0" "$t1") s"
done
echo

# --- dossier build ----------------------------------------------------------
if [ ! -x build/dossier ]; then
	echo "== dossier build: skipped (build/dossier does not exist)"
	exit 0
fi
echo "== dossier build -C <corpus> -q (each corpus also has $ENTITIES entity pages)"
printf '%8s %9s %8s %8s %9s %11s %9s %s\n' pages entities wall_s cpu_s "cpu ms/pg" "html files" warnings status
prev_pages= prev_cpu=
for pages in $BENCH_PAGES; do
	dir="$BENCH_DIR/site-$pages"
	log="$BENCH_DIR/build-$pages.log"
	t0=$(now)
	set -- $(cpu_run build/dossier build -C "$dir" -q)
	t1=$(now)
	rc=$1 cpu=$2
	secs=$(elapsed "$t0" "$t1")
	if [ "$rc" = 0 ]; then status=ok; else status="exit $rc (see $log)"; fi
	html=$(find "$dir" -path "$dir/content" -prune -o -name '*.html' -print | wc -l)
	warnings=$(grep -c ': warning: ' "$log" || true)
	ms=$(echo "$cpu $pages $ENTITIES" | awk '{ printf "%.2f", 1000 * $1 / ($2 + $3) }')
	printf '%8s %9s %8s %8s %9s %11s %9s %s\n' "$pages" "$ENTITIES" "$secs" "$cpu" "$ms" "$html" "$warnings" "$status"
	if [ -n "$prev_pages" ]; then
		echo "$prev_pages $prev_cpu $pages $cpu" | awk '{
			printf "  %d -> %d pages: +%.2f cpu s, %.2f ms per added page\n",
				$1, $3, $4 - $2, 1000 * ($4 - $2) / ($3 - $1) }'
	fi
	prev_pages=$pages prev_cpu=$cpu
done
echo "(cpu ms/pg counts the entity pages too; growth is linear when the ms per"
echo " added page stays near the ms per page of the whole build)"
