#!/bin/sh
# ThreadSanitizer on the build's threads (issue 13, "Both cores"):
# build/tsan/dossier builds this project's dossier (with its git history
# and revision pages), the 1,000-page bench corpus (tests/sanitize_lib.sh)
# and every fixture site, in safe and in unsafe
# Markdown mode, with -j 4, so pages load, link and render on four threads
# whatever the machine. Every report goes to a log file and any report
# fails the run, as does a build that exits above 1 (the dossier must
# build).
#
#   sh tests/tsan.sh        (from the repository root, after make build/tsan/dossier
#                            build/gen-site)
set -u
cd "$(dirname "$0")/.."
top=$(pwd)
bin=${DOSSIER:-build/tsan/dossier}
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
mkdir "$tmp/reports"
# tests/tsan.supp says what is suppressed, and why.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$top/tests/tsan.supp:log_path=$tmp/reports/tsan"
failed=""

name=tsan build_args="-j 4"
. tests/sanitize_lib.sh
build_all_sites
reports 60
if [ -n "$failed" ]; then
	echo "tsan: FAILED:$failed"
	exit 1
fi
echo "tsan: the dossier, the bench corpus and every fixture built on 4 threads, no report"
