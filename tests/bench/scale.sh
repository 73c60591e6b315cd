#!/bin/sh
# Scale benchmark (issue 13): dossier against Hugo and against the floors on
# the corpus of tests/bench/gen_site.c, at each N of BENCH_N. Prints one
# table, figure | N | dossier | reference | ratio | target | status, and the
# growth of the CPU cost per page from the smallest N to the largest. A
# measurement: a MISS never fails the run.
#
# Per N, in $BENCH_DIR/scale-N (regenerated on every run, ~N/2 commits):
#   build, history on      dossier build           hugo --enableGitInfo   <= 0.5
#   build, history off     --config site-nohistory hugo                   <= 0.5
#   build vs floor         dossier build           cmark-gfm over every body (one
#                                                  run) + git log --name-status  <= 1.5
#   history loading        history_load alone      git log --name-status  <= 1.5
#                          (tests/history/history_dump.c --time)
#   CPU / wall             user+sys of the history-on build / its wall    >= 1.7
#   peak RSS / content     max RSS of that build / bytes under content/   <= 3
#                          (and, for information, against hugo --enableGitInfo's)
#   output / content       bytes of its output / bytes under content/     <= 3
#                          (and, for information, against hugo --enableGitInfo's)
#   -j 1 = default         output tree digest of `build -j 1` against the default
#                          (n/a when `dossier help build` has no -j)
#   unchanged rebuild      `build --if-changed` again on the -j 1 output, nothing
#                          changed, against the full build                <= 0.1
#   live edit              `dossier serve`: one page's body edited (a file renamed
#                          over it, as editors save), time until the served page
#                          holds the new text, polled with curl; median of
#                          BENCH_EDITS (10; 3 when the first takes over 10 s)   <= 250 ms
# Times are wall seconds, the median of BENCH_RUNS runs (3) made in rounds
# (each round runs every compared command once; each build into an output
# folder removed before it; the corpus read once before, so the page cache
# is warm), by /usr/bin/time, which also gives CPU and RSS (of the median
# run). The -j 1 build (which writes the --if-changed record) runs
# once; the live edits are measured as described above.
#
# Environment: BENCH_N (default "1000 10000"), BENCH_DIR (/dev/shm/dossier-bench
# when /dev/shm is a tmpfs, else /tmp/dossier-bench),
# BENCH_RUNS (3), BENCH_EDITS (10), BENCH_EDIT_TIMEOUT (seconds per edit, 600), BENCH_KEEP=1
# keeps the outputs. Installs hugo with tests/deps.sh when it is missing.
set -u
cd "$(dirname "$0")/../.." || exit 2
ROOT=$(pwd)
BENCH_N=${BENCH_N:-1000 10000}
# On tmpfs by default: the machine's disk is shared, and dossier fsyncs
# every file it writes (Hugo does not), so on a busy disk wall time measures
# the other processes' I/O. BENCH_DIR=/tmp/dossier-bench measures on disk.
if [ -z "${BENCH_DIR:-}" ]; then
	BENCH_DIR=/tmp/dossier-bench
	[ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ] &&
		BENCH_DIR=/dev/shm/dossier-bench
fi
BENCH_EDITS=${BENCH_EDITS:-10}
BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_EDIT_TIMEOUT=${BENCH_EDIT_TIMEOUT:-600}
BIN=$ROOT/build/dossier
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C
ROWS=$BENCH_DIR/scale-rows
server=""

say() { echo "scale: $*" >&2; }
now_ms() { date +%s%3N; }

command -v hugo >/dev/null 2>&1 || sh tests/deps.sh hugo >&2 || { say "hugo missing"; exit 1; }
command -v cmark-gfm >/dev/null 2>&1 || sh tests/deps.sh cmark-gfm >&2 || { say "cmark-gfm missing"; exit 1; }
command -v curl >/dev/null 2>&1 || sh tests/deps.sh curl >&2 || { say "curl missing"; exit 1; }
${MAKE:-make} -s --no-print-directory build/dossier build/gen-site build/bench/history-dump >&2 ||
	{ say "the programs do not build"; exit 1; }

# timed LABEL CMD...: runs CMD, output to $work/LABEL.log; leaves "wall
# user sys maxrss_kB status" in $work/LABEL.time (wall from date(1), to
# the millisecond; CPU and RSS from /usr/bin/time).
timed() { run_timed "$work/$1.log" "$@"; }
run_timed() {
	log=$1 label=$2
	shift 2
	t0=$(date +%s%N)
	/usr/bin/time -f '%U %S %M' -o "$work/$label.t" "$@" >"$log" 2>"$work/$label.err"
	rc=$?
	t1=$(date +%s%N)
	echo "$t0 $t1 $(tail -1 "$work/$label.t") $rc" |
		awk '{ printf "%.3f %s %s %s %s\n", ($2 - $1) / 1e9, $3, $4, $5, $6 }' >"$work/$label.time"
	[ "$rc" = 0 ] || say "$label: exit $rc (see $work/$label.err)"
}
# one LABEL LOG OUT CMD...: one run of a measured command, OUT (unless "-")
# removed before it; its times are added to $work/LABEL.runs, its output to
# LOG (a file or /dev/null). keep_median LABEL: the run of the median wall
# time becomes $work/LABEL.time.
one() {
	o_label=$1 o_log=$2 o_out=$3
	shift 3
	[ "$o_out" = - ] || rm -rf "$o_out"
	run_timed "$work/$o_label.one" "$o_label" "$@"
	[ "$o_log" = /dev/null ] || cat "$work/$o_label.one" >>"$o_log"
	rm -f "$work/$o_label.one"
	cat "$work/$o_label.time" >>"$work/$o_label.runs"
}
keep_median() {
	sort -n "$work/$1.runs" | awk '{ a[NR] = $0 } END { print a[int((NR + 1) / 2)] }' >"$work/$1.time"
	[ -s "$work/$1.time" ] || { say "no run of $1 was measured"; exit 1; }
	say "N=$n: $1: wall s of the runs: $(cut -d' ' -f1 "$work/$1.runs" | tr '\n' ' ')(median $(cut -d' ' -f1 "$work/$1.time"))"
}

# One round: each compared command once, in this order. The rounds repeat
# BENCH_RUNS times, so that a slow spell of the machine (a shared VM) falls
# on dossier and on its references alike.
round() {
	one full "$work/full.log" "$work/out-full" "$BIN" build -C "$site" -o "$work/out-full" -q
	one nohist "$work/nohist.log" "$work/out-nohist" \
		"$BIN" build -C "$site" --config "$site/site-nohistory.toml" -o "$work/out-nohist" -q
	one hugogit "$work/hugogit.log" "$work/hugo-git" hugo --quiet --enableGitInfo -s "$site" -d "$work/hugo-git"
	one hugo "$work/hugo.log" "$work/hugo" hugo --quiet -s "$site" -d "$work/hugo"
	one cmark /dev/null - cmark-gfm --github-pre-lang -e footnotes -e table -e strikethrough \
		-e autolink -e tagfilter -e tasklist "$work/bodies.md"
	one gitlog /dev/null - git -C "$site" log --name-status
	one histload "$work/histload.log" - "$ROOT/build/bench/history-dump" --time "$site/content"
}

field() { awk -v i="$2" '{ print $i }' "$work/$1.time"; }
wall() { field "$1" 1; }
cpu() { awk '{ printf "%.2f", $2 + $3 }' "$work/$1.time"; }
bytes() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }'; }
# (the --if-changed record aside: only the -j 1 build writes one)
digest() { (cd "$1" && find . -type f ! -name .dossier-cache -print0 | sort -z | xargs -0 sha256sum) | sha256sum | cut -c1-12; }

# row FIGURE N DOSSIER REFERENCE RATIO TARGET: appends a row; the status
# compares RATIO with TARGET ("<= x", ">= x", "= x").
row() {
	echo "$1|$2|$3|$4|$5|$6" | awk -F'|' '{
		split($6, t, " "); st = (t[1] == "info") ? "-" : "n/a"
		if ($5 != "n/a" && t[1] != "info") {
			if (t[1] == "<=") st = ($5 + 0 <= t[2] + 0) ? "PASS" : "MISS"
			else if (t[1] == ">=") st = ($5 + 0 >= t[2] + 0) ? "PASS" : "MISS"
			else st = ($5 == t[2]) ? "PASS" : "MISS"
		}
		print $0 "|" st }' >>"$ROWS"
}
# done_with PATH: an output measured, then removed unless BENCH_KEEP=1 (at 10,000
# pages one dossier output is about 1 GB, in memory on tmpfs).
done_with() { [ "${BENCH_KEEP:-0}" = 1 ] || rm -rf "$1"; }
mb() { awk -v b="$1" 'BEGIN { printf "%.0f", b / 1048576 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

stop_server() {
	[ -n "$server" ] || return 0
	kill "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	server=""
}
trap 'stop_server' EXIT
trap 'exit 130' INT TERM

generate() {
	site=$BENCH_DIR/scale-$n
	rm -rf "$site"
	mkdir -p "$site"
	git init -q -b main "$site"
	t0=$(now_ms)
	"$ROOT/build/gen-site" "$n" | git -C "$site" fast-import --quiet &&
		git -C "$site" reset -q --hard main || { say "generating $site failed"; exit 1; }
	cp -R themes "$site/themes"
	cp -R tests/bench/hugo-site/. "$site/"
	say "N=$n: generated $site in $(( $(now_ms) - t0 )) ms:" \
		"$(git -C "$site" rev-list --count HEAD) commits," \
		"$(find "$site/content" -name '*.md' | wc -l) files under content/"
}

# Every body without its front matter, for the cmark-gfm floor.
bodies() {
	find "$site/content" -name '*.md' -print0 | sort -z | xargs -0 awk '
		FNR == 1 { fm = ($0 == "+++"); print ""; if (fm) next }
		fm { if ($0 == "+++") fm = 0; next }
		{ print }' >"$work/bodies.md"
}

# proc_cpu_ms PID: user + system CPU of a process so far, in ms.
proc_cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); printf "%d\n", ($12 + $13) * 1000 / hz }' "/proc/$1/stat"
}
median() { sort -n "$1" | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : "n/a" }'; }

# Median of the edit latencies in ms: one page's body edited, polled until
# served. Leaves "median count server_ms server_cpu_ms" in $work/edit: the
# server's own build time (its log) and the CPU it spent per edit (from
# /proc: on a busy machine steadier than wall time).
live_edit() {
	page=content/pages/p00001.md url_path=pages/p00001.html
	"$BIN" serve --port 0 -C "$site" -o "$work/serve" >"$work/serve.log" 2>&1 &
	server=$!
	port="" i=0
	while [ -z "$port" ] && [ $i -lt 6000 ] && kill -0 "$server" 2>/dev/null; do
		port=$(sed -n 's|^serving http://127\.0\.0\.1:\([0-9][0-9]*\)/ .*|\1|p' "$work/serve.log")
		[ -n "$port" ] || sleep 0.1
		i=$((i + 1))
	done
	[ -n "$port" ] || { say "serve did not start (see $work/serve.log)"; echo "n/a 0 n/a n/a" >"$work/edit"; stop_server; return; }
	url=http://127.0.0.1:$port/$url_path
	i=0
	until curl -sf "$url" -o /dev/null; do
		sleep 0.2
		i=$((i + 1))
		[ $i -lt $((BENCH_EDIT_TIMEOUT * 5)) ] || break
	done
	edits=$BENCH_EDITS k=1
	: >"$work/edit-ms"
	: >"$work/edit-cpu"
	while [ $k -le "$edits" ]; do
		token="benchedit$k$$"
		awk -v t="$token" '{ print } END { print ""; print "Edited in the bench: " t "." }' \
			"$site/$page" >"$work/edit.tmp"
		c0=$(proc_cpu_ms "$server")
		t0=$(now_ms)
		mv "$work/edit.tmp" "$site/$page"
		until curl -s "$url" | grep -q "$token"; do
			[ $(( $(now_ms) - t0 )) -lt $((BENCH_EDIT_TIMEOUT * 1000)) ] || break
		done
		ms=$(( $(now_ms) - t0 ))
		echo "$ms" >>"$work/edit-ms"
		echo $(( $(proc_cpu_ms "$server") - c0 )) >>"$work/edit-cpu"
		say "N=$n: live edit $k: $ms ms"
		[ $k = 1 ] && [ "$ms" -gt 10000 ] && [ "$edits" -gt 3 ] && edits=3
		k=$((k + 1))
		sleep 0.5
	done
	stop_server
	git -C "$site" checkout -q -- "$page"
	done_with "$work/serve"
	srv=$(sed -n 's/^build [0-9]*: ok (\([0-9]*\) ms).*/\1/p' "$work/serve.log" | sed 1d |
		sort -n | awk '{ a[NR] = $1 } END { print NR ? a[int((NR + 1) / 2)] : "n/a" }')
	cpu_ms=$(median "$work/edit-cpu")
	sort -n "$work/edit-ms" | awk -v s="$srv" -v c="$cpu_ms" '{ a[NR] = $1 }
		END { print a[int((NR + 1) / 2)], NR, s, c }' >"$work/edit"
}

measure() {
	work=$BENCH_DIR/scale-$n-runs
	rm -rf "$work"
	mkdir -p "$work"
	content=$(bytes "$site/content")
	bodies
	# Warm the page cache: every file and the whole history read once.
	cat "$work/bodies.md" >/dev/null
	git -C "$site" log --name-status >/dev/null

	r=1
	while [ "$r" -le "$BENCH_RUNS" ]; do
		say "N=$n: round $r of $BENCH_RUNS: dossier build (history on, off), hugo --enableGitInfo, hugo," \
			"cmark-gfm, git log --name-status, history_load"
		round
		r=$((r + 1))
	done
	for l in full nohist hugogit hugo cmark gitlog histload; do keep_median "$l"; done
	out=$(bytes "$work/out-full")
	hugo_out=$(bytes "$work/hugo-git")
	done_with "$work/out-nohist"
	done_with "$work/hugo-git"
	done_with "$work/hugo"
	hist=$(sed -n 's/^history_load: \([0-9.]*\) s.*/\1/p' "$work/histload.log" | sort -n |
		awk '{ a[NR] = $1 } END { if (NR) print a[int((NR + 1) / 2)] }')

	ja=n/a jb=n/a jr=n/a
	if "$BIN" help build 2>&1 | grep -qE -- '(^|[^-a-z])-j( |$|\]|[0-9N])'; then
		say "N=$n: dossier build -j 1"
		timed j1 "$BIN" build -C "$site" -j 1 -o "$work/out-j1" -q --if-changed
		say "N=$n: dossier build --if-changed, nothing changed"
		for r in $(seq "$BENCH_RUNS"); do
			one noop "$work/noop.log" - "$BIN" build -C "$site" -o "$work/out-j1" -q --if-changed
		done
		keep_median noop
		a=$(digest "$work/out-full") b=$(digest "$work/out-j1")
		ja=$a jb=$b jr=differs
		[ "$a" = "$b" ] && jr=same
		done_with "$work/out-j1"
	fi
	done_with "$work/out-full"

	say "N=$n: dossier serve, live edits"
	live_edit

	w=$(wall full) c=$(cpu full)
	floor=$(awk -v a="$(wall cmark)" -v b="$(wall gitlog)" 'BEGIN { printf "%.2f", a + b }')
	rss=$(awk -v k="$(field full 4)" 'BEGIN { printf "%.0f", k / 1024 }')
	read -r med cnt srv ecpu <"$work/edit"
	row "build, history on (s) / hugo --enableGitInfo" "$n" "$w" "$(wall hugogit)" "$(ratio "$w" "$(wall hugogit)")" "<= 0.5"
	row "build, history off (s) / hugo" "$n" "$(wall nohist)" "$(wall hugo)" "$(ratio "$(wall nohist)" "$(wall hugo)")" "<= 0.5"
	row "  the same in CPU s, history on" "$n" "$c" "$(cpu hugogit)" "$(ratio "$c" "$(cpu hugogit)")" "info"
	row "  the same in CPU s, history off" "$n" "$(cpu nohist)" "$(cpu hugo)" "$(ratio "$(cpu nohist)" "$(cpu hugo)")" "info"
	row "build (s) / cmark-gfm + git log --name-status" "$n" "$w" "$floor" "$(ratio "$w" "$floor")" "<= 1.5"
	row "history loading (s) / git log --name-status" "$n" "${hist:-n/a}" "$(wall gitlog)" "$(ratio "${hist:-0}" "$(wall gitlog)")" "<= 1.5"
	row "CPU s / wall s, history on" "$n" "$c" "$w" "$(ratio "$c" "$w")" ">= 1.7"
	row "peak RSS (MB) / content (MB)" "$n" "$rss" "$(mb "$content")" "$(ratio "$(field full 4)" "$((content / 1024))")" "<= 3"
	[ -f "$work/j1.time" ] &&
		row "  the same at -j 1 (steadier: no threads' timing)" "$n" "$(awk -v k="$(field j1 4)" 'BEGIN { printf "%.0f", k / 1024 }')" "$(mb "$content")" "$(ratio "$(field j1 4)" "$((content / 1024))")" "info"
	row "  the same against hugo --enableGitInfo's (MB)" "$n" "$rss" "$(awk -v k="$(field hugogit 4)" 'BEGIN { printf "%.0f", k / 1024 }')" "$(ratio "$(field full 4)" "$(field hugogit 4)")" "info"
	row "output (MB) / content (MB)" "$n" "$(mb "$out")" "$(mb "$content")" "$(ratio "$out" "$content")" "<= 3"
	row "  the same against hugo --enableGitInfo's (MB)" "$n" "$(mb "$out")" "$(mb "$hugo_out")" "$(ratio "$out" "$hugo_out")" "info"
	row "-j 1 output digest / default" "$n" "$ja" "$jb" "$jr" "= same"
	[ -f "$work/noop.time" ] &&
		row "unchanged rebuild, --if-changed (s) / full build" "$n" "$(wall noop)" "$w" "$(ratio "$(wall noop)" "$w")" "<= 0.1"
	row "live edit, median of $cnt (ms) / 250 ms" "$n" "$med" 250 "$(ratio "$med" 250)" "<= 1"
	row "  the server's CPU ms per edit" "$n" "$ecpu" 250 "$(ratio "$ecpu" 250)" "info"
	echo "$n $c" >>"$BENCH_DIR/scale-cpu"
	say "N=$n: serve's own rebuild after an edit (median): ${srv} ms; content $content bytes; output $out bytes"
	done_with "$work/bodies.md"
}

mkdir -p "$BENCH_DIR"
: >"$ROWS"
: >"$BENCH_DIR/scale-cpu"
t_start=$(now_ms)
for n in $BENCH_N; do
	generate
	measure
done

# Growth: CPU seconds per page at the largest N over the smallest.
sort -n "$BENCH_DIR/scale-cpu" | awk 'NR == 1 { n1 = $1; c1 = $2 } { n2 = $1; c2 = $2 }
	END { if (NR > 1) printf "%s|%s|%.2f|%.2f|%.2f\n", "growth: CPU ms per page, history on", n1 "->" n2,
		1000 * c2 / n2, 1000 * c1 / n1, (c2 / n2) / (c1 / n1) }' >"$BENCH_DIR/scale-growth"
if [ -s "$BENCH_DIR/scale-growth" ]; then
	IFS='|' read -r f nn a b r <"$BENCH_DIR/scale-growth"
	row "$f" "$nn" "$a" "$b" "$r" "<= 1.2"
fi

echo "== scale (issue 13): $("$BIN" --version 2>/dev/null | head -1), hugo $(hugo version | cut -d' ' -f2), $(nproc) cores," \
	"$BENCH_DIR ($(stat -f -c %T "$BENCH_DIR")); times: median of $BENCH_RUNS runs"
awk -F'|' 'BEGIN { print "figure|N|dossier|reference|ratio|target|status" } { print }' "$ROWS" |
	awk -F'|' '{ for (i = 1; i <= NF; i++) { c[NR, i] = $i; if (length($i) > w[i]) w[i] = length($i) } }
		END { for (r = 1; r <= NR; r++) { line = ""
			for (i = 1; i <= 7; i++) line = line sprintf(i == 1 ? "%-*s" : " | %*s", w[i], c[r, i])
			print line } }'
say "done in $(( ($(now_ms) - t_start) / 1000 )) s"
