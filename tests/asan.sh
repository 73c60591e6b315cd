#!/bin/sh
# The sanitizer run of `make check` on the real binary (issue 11):
# build/asan/dossier (AddressSanitizer + UBSan + leak checking) runs every
# end-to-end suite (tests/e2e/*.sh), the history tests run with an ASan
# history driver, the model and output goldens (tests/golden/tree.sh), the
# GFM conformance suites (the spec's examples and seeded random documents),
# and the binary builds this project's own dossier and every fixture site,
# each in safe and in unsafe Markdown mode. Every report goes
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
name=asan
failed=""
. tests/sanitize_lib.sh
step() { # label command...
	label=$1
	shift
	echo "== asan: $label"
	"$@" >"$tmp/log" 2>&1
	st=$?
	tail -n 1 "$tmp/log"
	if [ $st -ne 0 ]; then
		sed 's/^/    /' "$tmp/log" | tail -n 30
		failed="$failed $label"
	fi
}

# output.sh kills at every third call, fault.sh fails each call with ENOSPC
# only: no build code tells ENOSPC from EACCES (both take the same paths,
# and the plain run of `make e2e` injects both), so under the sanitizers the
# second pass would cover no new code for 85 of make check's seconds.
for f in tests/e2e/*.sh; do
	case $f in tests/e2e/lib*.sh) continue ;; esac
	step "$f" env DOSSIER="$bin" KILL_STEP="${KILL_STEP:-3}" FAULT_ERRNOS="${FAULT_ERRNOS:-ENOSPC}" sh "$f"
done
step "tests/history/run.sh" env DUMP="$top/build/asan/history-dump" sh tests/history/run.sh
# The model dumps (--dump-model, history included) and the output digests,
# under the sanitizers: the same bytes as the plain binary's.
step "tests/golden/tree.sh" env DOSSIER="$bin" sh tests/golden/tree.sh
# The GFM suites (the spec's examples, then 300 random documents of each
# generator) on every page kind in both modes: Markdown nobody here wrote,
# under the sanitizers.
step "tests/conformance/gfm-test.sh" env DOSSIER="$bin" GFM_RANDOM=300 sh tests/conformance/gfm-test.sh "${SHARED:-../shared}"

build_all_sites
reports 40
if [ -n "$failed" ]; then
	echo "asan: FAILED:$failed"
	exit 1
fi
echo "asan: every suite passed on $bin, no sanitizer report"
