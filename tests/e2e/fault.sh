#!/bin/sh
# Fault injection (issue 11, "one error channel"): with the LD_PRELOAD shim
# of tests/fault/shim.c, make each call of a real build that opens, writes,
# renames, creates, truncates or flushes a file fail in turn, with ENOSPC
# and with EACCES, and assert for every one: exit 1, an error naming the
# path that failed with strerror's text, the summary "the previous output is
# unchanged", the previous output byte-identical (digest), no litter beside
# it, and the sources untouched. The only calls allowed to fail softly are
# the flush of the output's parent folder after the swap (the new output is
# then in place: exit 0 and a warning). A trace of the counting run proves
# the shim sees every file and folder the build writes.
#
#   DOSSIER=build/asan/dossier sh tests/e2e/fault.sh   (default build/dossier)
#   FAULT_SHIM=path (default build/fault/shim.so, made when missing)
#   FAULT_ERRNOS="ENOSPC EACCES" (the errnos to inject)
set -u
cd "$(dirname "$0")/../.." && err_lines=10 . tests/e2e/lib.sh
shim=${FAULT_SHIM:-build/fault/shim.so}
case $shim in /*) ;; *) shim="$top/$shim" ;; esac
if [ ! -f "$shim" ]; then
	${MAKE:-make} -s --no-print-directory build/fault/shim.so >/dev/null || { echo "FAIL: cannot build $shim"; exit 1; }
fi
# An ASan binary refuses a preloaded library ahead of its runtime unless told.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

# Digest of a tree: names, types, modes and contents.
digest() {
	(cd "$1" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum
}
srcsum() { (cd "$site" && digest content && digest themes && sha256sum site.toml) | sha256sum; }

site="$tmp/site"
cp -R tests/fixtures/basic "$site"
cp -R themes "$site/themes"
"$bin" build -C "$site" -q 2>"$tmp/err"
check "previous output builds" '[ $? -eq 0 ]'
cp -a "$site/public" "$tmp/previous"
old=$(digest "$tmp/previous")
# The sources change, so the new output differs from the previous one.
printf '\nA paragraph added after the previous build.\n' >>"$site/content/_index.md"
src=$(srcsum)
listing=$(ls -A "$site")

# The counting run, in a copy at the same depth, with a trace.
cp -R "$site" "$tmp/count"
rm -rf "$tmp/count/public"
mv "$tmp/count" "$tmp/c"
# -j 1 here and below: the runs must make the same calls in the same order
# for call i to be the same operation in each (on threads, which of two
# pages first writes into a new folder, and so makes it, varies).
FAULT_TRACE="$tmp/trace" FAULT_REPORT="$tmp/report" LD_PRELOAD="$shim" \
	"$bin" build -j 1 -C "$tmp/c" -q 2>"$tmp/err"
check "counting run builds" '[ $? -eq 0 ]'
new=$(digest "$tmp/c/public")
calls=$(sed -n 's/^calls //p' "$tmp/report")
check "the shim counts calls ($calls)" '[ "${calls:-0}" -gt 0 ]'
check "new output differs from the previous one" '[ "$new" != "$old" ]'
# Every file written was opened, written and flushed through the shim, every
# folder created: so each of them is one of the calls failed below.
missing=0
for f in $(cd "$tmp/c/public" && find . -type f | sed 's|^\./||'); do
	grep -q " open $tmp/c/public\.tmp-[A-Za-z0-9]\{6\}/$f\$" "$tmp/trace" &&
		grep -q " write $tmp/c/public\.tmp-[A-Za-z0-9]\{6\}/$f\$" "$tmp/trace" &&
		grep -q " fsync $tmp/c/public\.tmp-[A-Za-z0-9]\{6\}/$f\$" "$tmp/trace" ||
		{ echo "  not seen by the shim: $f"; missing=$((missing + 1)); }
done
for f in $(cd "$tmp/c/public" && find . -mindepth 1 -type d | sed 's|^\./||'); do
	grep -q " mkdir $tmp/c/public\.tmp-[A-Za-z0-9]\{6\}/$f\$" "$tmp/trace" ||
		{ echo "  folder not seen by the shim: $f"; missing=$((missing + 1)); }
done
check "the shim sees every file and folder of the build" '[ $missing -eq 0 ]'
check "the shim sees the swap" 'grep -q " renameat2 $tmp/c/public\.tmp-" "$tmp/trace"'
check "the shim sees the lock" 'grep -q " open $tmp/c\$" "$tmp/trace"'

for e in ${FAULT_ERRNOS:-ENOSPC EACCES}; do
	case $e in
	ENOSPC) msg="No space left on device" ;;
	EACCES) msg="Permission denied" ;;
	EIO) msg="Input/output error" ;;
	esac
	bad=0
	soft=0
	i=1
	while [ $i -le "$calls" ]; do
		rm -f "$tmp/report"
		FAULT_AT=$i FAULT_ERRNO=$e FAULT_REPORT="$tmp/report" LD_PRELOAD="$shim" \
			"$bin" build -j 1 -C "$site" -q 2>"$tmp/err"
		st=$?
		what=$(sed -n 's/^failed //p' "$tmp/report")
		path=${what#* }
		name=$(basename "$path")
		why=""
		if [ $st -eq 1 ]; then
			grep -F ": error: " "$tmp/err" | grep -F -- "$name" | grep -q -F -- ": $msg" ||
				why="no error naming $name with '$msg'"
			[ "$(tail -n 1 "$tmp/err")" = "dossier: build failed: $(grep -c ': error: ' "$tmp/err") error$([ "$(grep -c ': error: ' "$tmp/err")" -eq 1 ] || echo s); the previous output is unchanged" ] ||
				why="$why; last line is not the failure summary"
			[ "$(digest "$site/public")" = "$old" ] || why="$why; previous output changed"
		elif [ $st -eq 0 ] && [ "$path" = "$site" ]; then
			# The parent folder's flush after the swap: the new output
			# is in place, and the failure is still reported.
			soft=$((soft + 1))
			grep -qxF "$site: warning: cannot flush the folder to disk: $msg" "$tmp/err" ||
				why="exit 0 without the warning"
			[ "$(digest "$site/public")" = "$new" ] || why="$why; exit 0 but not the new output"
			rm -rf "$site/public"
			cp -a "$tmp/previous" "$site/public"
		else
			why="exit $st"
		fi
		[ "$(ls -A "$site")" = "$listing" ] || why="$why; litter: $(ls -A "$site" | tr '\n' ' ')"
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			[ $bad -le 5 ] && { echo "  $e at call $i ($what): $why"; sed 's/^/      /' "$tmp/err" | head -5; }
		fi
		i=$((i + 1))
	done
	rm -f "$tmp/err"
	check "$e at each of $calls calls: exit 1, the error, previous output intact, no litter" '[ $bad -eq 0 ]'
	check "$e: only the flush after the swap fails softly ($soft)" '[ $soft -le 2 ]'
done
check "sources unchanged" '[ "$(srcsum)" = "$src" ]'

finish fault
