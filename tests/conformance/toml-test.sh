#!/bin/sh
# Runs toml-test's TOML 1.0 cases against build/toml-decoder.
#
#   sh tests/conformance/toml-test.sh SHARED_DIR
#
# Every valid/*.toml must decode to its valid/*.json (compared by the
# decoder's --compare mode, the way toml-test compares); every invalid/*.toml
# must be rejected with exit status 1 (a crash is a failure, not a
# rejection). Prints each failure, then "N passed, N failed"; exits 1 if any
# failed. Without SHARED_DIR/conformance it says so and exits 0.
set -u

shared=${1:-../shared}
decoder=${DECODER:-build/toml-decoder}
if [ ! -d "$shared/conformance" ]; then
	echo "toml-test: skipped: $shared/conformance not found"
	exit 0
fi
dir=$shared/conformance/toml-test/tests
list=$dir/files-toml-1.0.0
if [ ! -f "$list" ]; then
	echo "toml-test: $list not found" >&2
	exit 1
fi
if [ ! -x "$decoder" ]; then
	echo "toml-test: $decoder not built (make build/toml-decoder)" >&2
	exit 1
fi

err=${TMPDIR:-/tmp}/toml-test.$$
trap 'rm -f "$err"' EXIT INT TERM
pass=0
fail=0
while IFS= read -r f; do
	case $f in
	valid/*.toml)
		if "$decoder" --compare "$dir/${f%.toml}.json" <"$dir/$f" >/dev/null 2>"$err"; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $f"
			sed 's/^/    /' "$err" | head -n 5
		fi
		;;
	invalid/*.toml)
		"$decoder" <"$dir/$f" >/dev/null 2>"$err"
		rc=$?
		if [ "$rc" -eq 1 ] && [ -s "$err" ]; then
			pass=$((pass + 1))
		else
			fail=$((fail + 1))
			echo "FAIL $f (accepted or crashed: exit $rc)"
		fi
		;;
	esac
done <"$list"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
