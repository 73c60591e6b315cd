#!/bin/sh
# make bench: save -> visible latency of one body edit in `dossier serve`
# (issue 13). Generates a corpus (tests/bench/gen_corpus.c: BENCH_SERVE_PAGES
# pages, default 10000, and BENCH_ENTITIES entities, default 1000), starts
# serve on it, then BENCH_SERVE_EDITS times (default 10) appends a sentence
# with a new word to one page's body and polls the served page over HTTP
# until the word is there. Prints each latency, the median, and serve's log
# line for each rebuild. Figures only: nothing passes or fails on time.
# The first (full) build of 10,000 pages takes minutes.
set -u
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
PAGES=${BENCH_SERVE_PAGES:-10000}
ENTITIES=${BENCH_ENTITIES:-1000}
EDITS=${BENCH_SERVE_EDITS:-10}
DIR=${BENCH_DIR:-/tmp/dossier-bench}/serve-$PAGES
CC=${CC:-cc}
BIN="$ROOT/build/dossier"
server=""
cleanup() {
	[ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null
}
trap cleanup EXIT
trap 'exit 130' INT TERM

command -v curl >/dev/null 2>&1 || { echo "serve_edit: curl is missing; skipped"; exit 0; }
make -s build/dossier build/libdossier.a >/dev/null || exit 1
mkdir -p "$DIR"
$CC -std=c11 -O2 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -iquote generator/lib -Itests/bench \
	-o "$DIR/gen_corpus" tests/bench/gen_corpus.c build/libdossier.a || exit 1
site=$DIR/site
# BENCH_SERVE_REUSE=1 keeps a corpus generated before (edits appended).
if [ "${BENCH_SERVE_REUSE:-0}" != 1 ] || [ ! -d "$site/content" ]; then
	rm -rf "$site"
	"$DIR/gen_corpus" "$site" "$PAGES" "$ENTITIES" || exit 1
	cp -R themes "$site/themes"
fi
page=$(cd "$site/content" && find pages -name '*.md' | LC_ALL=C sort | sed -n "$((PAGES / 2))p")
url_path=${page%.md}.html
log=$DIR/serve.log

now() { date +%s%N; }
builds() {
	c=$(grep -c '^build [0-9]*:' "$log" 2>/dev/null)
	echo "${c:-0}"
}

echo "== dossier serve: one body edit of content/$page, $PAGES pages, $ENTITIES entities"
t0=$(now)
"$BIN" serve --port 0 -C "$site" >"$log" 2>"$DIR/serve.err" &
server=$!
i=0
while [ "$(builds)" -lt 1 ] && [ $i -lt 6000 ]; do
	sleep 0.2
	i=$((i + 1))
done
port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$log" | head -n 1)
if [ -z "$port" ] || [ "$(builds)" -lt 1 ]; then
	echo "serve_edit: the server did not start"
	cat "$DIR/serve.err" | head -n 20
	exit 1
fi
echo "  first (full) build: $(( ($(now) - t0) / 1000000 )) ms"
lat=""
for k in $(seq 1 "$EDITS"); do
	word="benchedit${k}x$(date +%N)"
	n=$(builds)
	t0=$(now)
	printf '\nAn edit adds the word %s here.\n' "$word" >>"$site/content/$page"
	tries=0
	until curl -s --max-time 5 "http://127.0.0.1:$port/$url_path" | grep -q "$word"; do
		tries=$((tries + 1))
		[ $tries -gt 20000 ] && break
	done
	t1=$(now)
	ms=$(( (t1 - t0) / 1000000 ))
	lat="$lat $ms"
	# Let the rebuild finish (its log line) before the next edit.
	j=0
	while [ "$(builds)" -le "$n" ] && [ $j -lt 3000 ]; do
		sleep 0.05
		j=$((j + 1))
	done
	echo "  edit $k: visible after $ms ms; $(grep '^build [0-9]*:' "$log" | tail -n 1)"
	sleep 0.3
done
median=$(echo "$lat" | tr ' ' '\n' | sed '/^$/d' | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
echo "  save -> visible over HTTP, median of $EDITS edits: $median ms (target <= 250 ms)"
