#!/bin/sh
# The sanitizer run of `make check` on the real binary (issue 11):
# build/asan/dossier (AddressSanitizer + UBSan + leak checking) runs every
# end-to-end suite (tests/e2e/*.sh), the history tests run with an ASan
# history driver, the model and output goldens (tests/golden/tree.sh), and the binary builds this project's own dossier and every
# fixture site, each in safe and in unsafe Markdown mode. Every report goes
# to a log file (so none is lost in a suite that captures stderr) and any
# report, or any failing suite, fails the run.
#
#   sh tests/asan.sh        (from the repository root, after make build/asan/dossier
#                            build/asan/history-dump build/fault/shim.so)
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
bin=${DOSSIER:-build/asan/dossier}
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/reports"
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_string_checks=1:disable_coredump=1:log_path=$tmp/reports/asan"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1:log_path=$tmp/reports/ubsan"
export LSAN_OPTIONS="log_path=$tmp/reports/lsan"
failed=""
step() { # name command...
	name=$1
	shift
	echo "== asan: $name"
	"$@" >"$tmp/log" 2>&1
	st=$?
	tail -n 1 "$tmp/log"
	if [ $st -ne 0 ]; then
		sed 's/^/    /' "$tmp/log" | tail -n 30
		failed="$failed $name"
	fi
}

for f in tests/e2e/*.sh; do
	case $f in tests/e2e/lib*.sh) continue ;; esac
	step "$f" env DOSSIER="$bin" KILL_STEP="${KILL_STEP:-3}" sh "$f"
done
step "tests/history/run.sh" env DUMP="$top/build/asan/history-dump" sh tests/history/run.sh
# The model dumps (--dump-model, history included) and the output digests,
# under the sanitizers: the same bytes as the plain binary's.
step "tests/golden/tree.sh" env DOSSIER="$bin" sh tests/golden/tree.sh

# A copy of a site's configuration with [markdown] unsafe set to $2.
with_unsafe() {
	awk -v v="$2" '
		/^\[/ { if (inmd && !done) { print "unsafe = " v; done = 1 } inmd = ($0 == "[markdown]") }
		inmd && /^unsafe[ \t]*=/ { if (!done) print "unsafe = " v; done = 1; next }
		{ print }
		END { if (inmd && !done) print "unsafe = " v; else if (!done) print "\n[markdown]\nunsafe = " v }
	' "$1"
}
# build NAME SITE-DIR: builds it in both modes; exit 0 or 1 (content
# errors) is fine for fixtures, the sanitizers decide; the project's own
# dossier must build.
build_site() {
	for mode in false true; do
		with_unsafe "$2/site.toml" $mode >"$tmp/site-$mode.toml"
		rm -rf "$tmp/out"
		"$bin" build -C "$2" --config "$tmp/site-$mode.toml" -o "$tmp/out" -q >"$tmp/log" 2>&1
		st=$?
		grep -q "^unsafe = $mode\$" "$tmp/site-$mode.toml" || st=99
		echo "== asan: build $1 (unsafe = $mode): exit $st"
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
	echo "asan: $n sanitizer report(s); the first ones:"
	for r in $(ls "$tmp/reports" | head -n 5); do
		echo "--- $r"
		head -n 40 "$tmp/reports/$r"
	done
	failed="$failed reports"
fi
if [ -n "$failed" ]; then
	echo "asan: FAILED:$failed"
	exit 1
fi
echo "asan: every suite passed on $bin, no sanitizer report"
