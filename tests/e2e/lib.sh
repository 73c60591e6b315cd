# tests/e2e/lib.sh: the preamble the e2e scripts share. A script does
#   cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh
# and gets:
#   top       the repository's top folder
#   bin       $DOSSIER (make check runs build/asan/dossier too), default
#             build/dossier, made absolute
#   tmp       a fresh folder (its physical path), removed on exit unless KEEP
#             is set; a script adds its own clean-up to $on_exit
#   ok, ko NAME (prints the first $err_lines (20) lines of $tmp/err),
#   check NAME EXPR (ok if EXPR, evaluated, succeeds)
#   site FIXTURE   a copy of tests/fixtures/FIXTURE in $tmp/site: outside the
#             repository, so without git history, with the project's themes
#   finish [LABEL] prints "[LABEL: ]N passed, N failed"; fails if any failed
# shellcheck shell=sh
set -u
top=$(pwd)
bin=${DOSSIER:-build/dossier}
case $bin in /*) ;; *) bin="$top/$bin" ;; esac
tmp=$(mktemp -d) || exit 2
tmp=$(cd "$tmp" && pwd -P)
on_exit=:
trap 'eval "$on_exit"; [ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM
pass=0
fail=0
err_lines=${err_lines:-20}

ok() { pass=$((pass + 1)); }
ko() {
	fail=$((fail + 1))
	echo "FAIL: $1"
	[ -f "$tmp/err" ] && sed 's/^/    /' "$tmp/err" | head -n "$err_lines"
}
check() { if eval "$2"; then ok; else ko "$1"; fi; }
site() {
	rm -rf "$tmp/site"
	cp -R "tests/fixtures/$1" "$tmp/site"
	cp -R themes "$tmp/site/themes"
}
finish() {
	echo "${1:+$1: }$pass passed, $fail failed"
	[ "$fail" -eq 0 ]
}
