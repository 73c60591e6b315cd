#!/bin/sh
# ThreadSanitizer on the build's threads (issue 13, "Both cores"):
# build/tsan/dossier builds this project's dossier (with its git history
# and revision pages) and every fixture site, in safe and in unsafe
# Markdown mode, with -j 4, so pages load, link and render on four threads
# whatever the machine. Every report goes to a log file and any report
# fails the run, as does a build that exits above 1 (the dossier must
# build).
#
#   sh tests/tsan.sh        (from the repository root, after make build/tsan/dossier)
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
bin=${DOSSIER:-build/tsan/dossier}
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/reports"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:log_path=$tmp/reports/tsan"
failed=""

with_unsafe() {
	awk -v v="$2" '
		/^\[/ { if (inmd && !done) { print "unsafe = " v; done = 1 } inmd = ($0 == "[markdown]") }
		inmd && /^unsafe[ \t]*=/ { if (!done) print "unsafe = " v; done = 1; next }
		{ print }
		END { if (inmd && !done) print "unsafe = " v; else if (!done) print "\n[markdown]\nunsafe = " v }
	' "$1"
}
build_site() { # NAME SITE-DIR must|may
	for mode in false true; do
		with_unsafe "$2/site.toml" $mode >"$tmp/site-$mode.toml"
		rm -rf "$tmp/out"
		"$bin" build -j 4 -C "$2" --config "$tmp/site-$mode.toml" -o "$tmp/out" -q >"$tmp/log" 2>&1
		st=$?
		echo "== tsan: build $1 (unsafe = $mode): exit $st"
		if [ $st -gt 1 ] || { [ "$3" = must ] && [ $st -ne 0 ]; }; then
			sed 's/^/    /' "$tmp/log" | tail -n 30
			failed="$failed build:$1:$mode"
		fi
	done
}
build_site "the project's dossier" . must
for s in tests/fixtures/*/; do
	[ -f "$s/site.toml" ] || continue
	rm -rf "$tmp/fixture"
	cp -R "$s" "$tmp/fixture"
	[ -d "$tmp/fixture/themes" ] || cp -R themes "$tmp/fixture/themes"
	build_site "$s" "$tmp/fixture" may
done

n=$(find "$tmp/reports" -type f | wc -l)
if [ "$n" -gt 0 ]; then
	echo "tsan: $n report(s); the first ones:"
	for r in $(ls "$tmp/reports" | head -n 3); do
		echo "--- $r"
		head -n 60 "$tmp/reports/$r"
	done
	failed="$failed reports"
fi
if [ -n "$failed" ]; then
	echo "tsan: FAILED:$failed"
	exit 1
fi
echo "tsan: the dossier and every fixture built on 4 threads, no report"
