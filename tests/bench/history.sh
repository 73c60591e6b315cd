#!/bin/sh
# History benchmark (issue 5): history_load() on a generated repository of
# >= 10,000 commits touching >= 5,000 files under content/ (with renames and
# merges), next to `git log --name-status` on the same repository, which
# does comparable work: every commit, a diff against its first parent with
# rename detection. Prints figures and their ratio; nothing passes or fails.
#
# Environment: BENCH_DIR (default /tmp/dossier-bench) keeps the generated
# repository between runs; BENCH_HISTORY_FILES (5000) and
# BENCH_HISTORY_COMMITS (10000) size it; BENCH_RUNS (3) runs of each, the
# best is reported; CC (cc).
set -eu

cd "$(dirname "$0")/../.."
CC=${CC:-cc}
BENCH_DIR=${BENCH_DIR:-/tmp/dossier-bench}
FILES=${BENCH_HISTORY_FILES:-5000}
COMMITS=${BENCH_HISTORY_COMMITS:-10000}
RUNS=${BENCH_RUNS:-3}
REPO=$BENCH_DIR/history-$FILES-$COMMITS
DUMP=build/bench/history-dump
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
best() { awk -v a="$1" -v b="$2" 'BEGIN { print (a == "" || b < a) ? b : a }'; }

${MAKE:-make} -s --no-print-directory build/libdossier.a
mkdir -p build/bench
$CC -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wimplicit-fallthrough \
	-O2 -g -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -iquote generator/lib -iquote generator/model -iquote generator/load -iquote generator/link -iquote generator/render -iquote generator/cmd -o "$DUMP" \
	tests/history/history_dump.c build/libdossier.a \
	$(pkg-config --libs libcmark-gfm libsass libgit2) -lmicrohttpd

if [ ! -f "$REPO/.git/dossier-bench-complete" ]; then
	echo "generating $REPO ($COMMITS commits over $FILES files) ..."
	rm -rf "$REPO"
	mkdir -p "$REPO"
	git init -q -b main "$REPO"
	t0=$(now)
	LC_ALL=C awk -v files="$FILES" -v commits="$COMMITS" -f tests/bench/gen_history.awk |
		git -C "$REPO" fast-import --quiet
	git -C "$REPO" reset -q --hard main
	git -C "$REPO" gc -q
	touch "$REPO/.git/dossier-bench-complete"
	echo "generated in $(elapsed "$t0" "$(now)") s"
fi

ncommits=$(git -C "$REPO" rev-list --count HEAD)
nmerges=$(git -C "$REPO" rev-list --count --merges HEAD)
nfiles=$(git -C "$REPO" ls-files content | wc -l)
ntouched=$(git -C "$REPO" log --format= --name-only --no-renames | sort -u | wc -l)
echo "repository: $ncommits commits ($nmerges merges), $nfiles files under content/ at HEAD," \
	"$ntouched paths touched"

# One warm-up run each (page cache), then the best of $RUNS.
"$DUMP" --time "$REPO/content" >/dev/null
git -C "$REPO" log --name-status >/dev/null
ours="" inproc="" theirs="" numstat=""
i=0
while [ "$i" -lt "$RUNS" ]; do
	t0=$(now)
	line=$("$DUMP" --time "$REPO/content")
	t1=$(now)
	git -C "$REPO" log --name-status >/dev/null
	t2=$(now)
	git -C "$REPO" log --numstat >/dev/null
	t3=$(now)
	ours=$(best "$ours" "$(elapsed "$t0" "$t1")")
	inproc=$(best "$inproc" "$(echo "$line" | awk '{ print $2 }')")
	theirs=$(best "$theirs" "$(elapsed "$t1" "$t2")")
	numstat=$(best "$numstat" "$(elapsed "$t2" "$t3")")
	i=$((i + 1))
done
# What one `git log --follow` per file would cost: 20 files, scaled up.
git -C "$REPO" ls-files content | awk 'NR % 250 == 1' | head -20 >"$BENCH_DIR/history-sample"
t0=$(now)
while IFS= read -r f; do
	git -C "$REPO" log --follow --format=%H -- "$f" >/dev/null
done <"$BENCH_DIR/history-sample"
per_file=$(elapsed "$t0" "$(now)")
echo "$line" | sed 's/^history_load: [0-9.]* s, /history: /'
echo "history_load (dossier, whole process): ${ours} s  (history_load itself: ${inproc} s; best of $RUNS)"
echo "git log --name-status:                 ${theirs} s  (best of $RUNS)"
awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "ratio history_load / git log --name-status: %.2f\n", a / b }'
echo "for scale: git log --numstat (line stats, as history_load computes): ${numstat} s;"
awk -v t="$per_file" -v n="$nfiles" 'BEGIN { printf "  git log --follow once per file: %.3f s for 20 files, ~%.0f s for %d\n", t, t / 20 * n, n }'
