# tests/e2e/lib_serve.sh: the preamble of the suites that run `dossier serve`
# (serve.sh, serve_incremental.sh, serve_hostile.sh). Set SERVE_TMP_NAME and do
#   cd "$(dirname "$0")/../.." || exit 2
#   . tests/e2e/lib_serve.sh
# to get ROOT, BIN ($DOSSIER, default build/dossier, made absolute), tmp (a
# fresh folder, removed on exit with the server stopped), server (the pid
# start_server sets), stop_server, ok/bad NAME (printed, as TAP-like
# lines), check NAME CMD..., and finish (prints the counts and exits; a
# suite may define its own after sourcing).
# shellcheck shell=sh
set -u
ROOT=$(pwd)
BIN=${DOSSIER:-build/dossier}
case $BIN in /*) ;; *) BIN="$ROOT/$BIN" ;; esac
pass=0
fail=0
server=""
tmp=$(mktemp -d "${TMPDIR:-/tmp}/${SERVE_TMP_NAME:-dossier-serve}.XXXXXX") || exit 2

stop_server() {
	[ -n "$server" ] || return 0
	kill "$server" 2>/dev/null
	i=0
	while kill -0 "$server" 2>/dev/null && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	kill -KILL "$server" 2>/dev/null
	wait "$server" 2>/dev/null
	server=""
}
cleanup() {
	stop_server
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ok() {
	pass=$((pass + 1))
	echo "ok   - $1"
}
bad() {
	fail=$((fail + 1))
	echo "FAIL - $1"
}
check() {
	desc=$1
	shift
	if "$@"; then ok "$desc"; else bad "$desc"; fi
}
finish() {
	echo "$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
	exit $?
}
