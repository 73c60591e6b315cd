#!/bin/sh
# History benchmark (issues 5 and 13): history_load() next to
# `git log --name-status` on the same repository, which does comparable
# work (every commit, a diff against its first parent, rename detection),
# on two generated repositories (tests/bench/gen_history.awk):
#   - "merges": 10,040 commits adding, editing and renaming 5,000 files in
#     50 folders, with side branches merged back;
#   - "dossier": 10,000 files (8,000 of them in one folder) added at once,
#     then 5,039 commits of edits, renames and merges: the shape of a large
#     dossier, where each commit's big folder is a 320 KB tree object.
# Figures are CPU seconds (user + system, best of BENCH_RUNS), which other
# work on the machine does not inflate as it does wall time; wall time is
# printed too. Nothing passes or fails.
#
# Environment: BENCH_DIR (default /tmp/dossier-bench) keeps the generated
# repositories between runs; BENCH_HISTORY_FILES (5000) and
# BENCH_HISTORY_COMMITS (10000) size the first; BENCH_RUNS (3).
set -eu

cd "$(dirname "$0")/../.."
BENCH_DIR=${BENCH_DIR:-/tmp/dossier-bench}
FILES=${BENCH_HISTORY_FILES:-5000}
COMMITS=${BENCH_HISTORY_COMMITS:-10000}
RUNS=${BENCH_RUNS:-3}
DUMP=build/bench/history-dump
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }
# mark VAR: VAR = CPU seconds (user + system) of this shell's finished
# children so far; `times` runs in this shell, as one in a subshell would
# count none of them.
TIMES=$BENCH_DIR/history-times
CPU_AWK='NR == 2 { split($1, u, /[ms]/); split($2, s, /[ms]/); printf "%.3f", u[1] * 60 + u[2] + s[1] * 60 + s[2] }'
mark() {
	times >"$TIMES"
	eval "$1=\$(awk \"\$CPU_AWK\" \"\$TIMES\")"
}

# The Makefile's rule, so the driver links what libdossier.a needs.
${MAKE:-make} -s --no-print-directory "$DUMP"

# generate REPO AWK-ARGS...: the repository, once (kept in BENCH_DIR).
generate() {
	repo=$1
	shift
	[ -f "$repo/.git/dossier-bench-complete" ] && return 0
	echo "generating $repo ..."
	rm -rf "$repo"
	mkdir -p "$repo"
	git init -q -b main "$repo"
	t0=$(now)
	LC_ALL=C awk "$@" -f tests/bench/gen_history.awk | git -C "$repo" fast-import --quiet
	git -C "$repo" reset -q --hard main
	git -C "$repo" gc -q
	touch "$repo/.git/dossier-bench-complete"
	echo "generated in $(elapsed "$t0" "$(now)") s"
}

# measure NAME REPO: the best of $RUNS of each, after one warm-up run each
# (page cache); sets $nfiles.
measure() {
	name=$1 repo=$2
	ncommits=$(git -C "$repo" rev-list --count HEAD)
	nmerges=$(git -C "$repo" rev-list --count --merges HEAD)
	nfiles=$(git -C "$repo" ls-files content | wc -l)
	echo "$name: $ncommits commits ($nmerges merges), $nfiles files under content/ at HEAD"
	"$DUMP" --time "$repo/content" >/dev/null
	git -C "$repo" log --name-status >/dev/null
	ours="" theirs="" numstat="" wours="" wtheirs="" i=0
	while [ "$i" -lt "$RUNS" ]; do
		mark c0
		t0=$(now)
		line=$("$DUMP" --time "$repo/content")
		mark c1
		t1=$(now)
		git -C "$repo" log --name-status >/dev/null
		mark c2
		t2=$(now)
		git -C "$repo" log --numstat >/dev/null
		mark c3
		ours=$(best "$ours" "$(elapsed "$c0" "$c1")")
		theirs=$(best "$theirs" "$(elapsed "$c1" "$c2")")
		numstat=$(best "$numstat" "$(elapsed "$c2" "$c3")")
		wours=$(best "$wours" "$(elapsed "$t0" "$t1")")
		wtheirs=$(best "$wtheirs" "$(elapsed "$t1" "$t2")")
		i=$((i + 1))
	done
	echo "  $(echo "$line" | sed 's/^history_load: [0-9.]* s, //')"
	echo "  history_load (whole process): ${ours} s CPU (${wours} s wall)"
	echo "  git log --name-status:        ${theirs} s CPU (${wtheirs} s wall)"
	echo "  git log --numstat:            ${numstat} s CPU (with line stats, which history_load does not compute)"
	awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "  ratio history_load / git log --name-status: %.2f (CPU)\n", a / b }'
}

MERGES=$BENCH_DIR/history-$FILES-$COMMITS
DOSSIER=$BENCH_DIR/history-dossier-10000-5000
mkdir -p "$BENCH_DIR"
generate "$MERGES" -v files="$FILES" -v commits="$COMMITS"
generate "$DOSSIER" -v files=10000 -v commits=5000 -v bulk=1 -v big=8000
measure merges "$MERGES"

# What one `git log --follow` per file would cost: 20 files, scaled up.
git -C "$MERGES" ls-files content | awk 'NR % 250 == 1' | head -20 >"$BENCH_DIR/history-sample"
mark c0
while IFS= read -r f; do
	git -C "$MERGES" log --follow --format=%H -- "$f" >/dev/null
done <"$BENCH_DIR/history-sample"
mark c1
per_file=$(elapsed "$c0" "$c1")
awk -v t="$per_file" -v n="$nfiles" 'BEGIN { printf "  git log --follow once per file: %.3f s CPU for 20 files, ~%.0f s for %d\n", t, t / 20 * n, n }'
measure dossier "$DOSSIER"
