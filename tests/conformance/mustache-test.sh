#!/bin/sh
# Runs the Mustache spec against the engine:
#
#     sh tests/conformance/mustache-test.sh SHARED_DIR
#
# SHARED_DIR/conformance/mustache-spec/specs/ holds the spec's JSON files.
# Every required file (comments, delimiters, interpolation, inverted,
# partials, sections) and the optional ~inheritance are run with
# build/mustache-spec (or $MUSTACHE_SPEC); lambdas and dynamic names are not
# implemented. Prints the failures, one line per file and a total line
# "N passed, N failed"; exits 1 if any test failed or a file is missing.
# A missing spec folder is reported as skipped (exit 0), never silently.
set -u

shared=${1:-../shared}
specs="$shared/conformance/mustache-spec/specs"
bin=${MUSTACHE_SPEC:-build/mustache-spec}

if [ ! -d "$specs" ]; then
	echo "mustache-test: skipped: spec folder $specs not found"
	exit 0
fi
if [ ! -x "$bin" ]; then
	echo "mustache-test: $bin not found (run make build/mustache-spec)" >&2
	exit 1
fi

total_pass=0
total_fail=0
status=0
for name in comments delimiters interpolation inverted partials sections \
	'~inheritance'; do
	file="$specs/$name.json"
	if [ ! -f "$file" ]; then
		echo "mustache-test: $file not found" >&2
		status=1
		continue
	fi
	out=$("$bin" "$file")
	rc=$?
	# The driver's last line is "N passed, N failed"; the rest are failures.
	summary=$(printf '%s\n' "$out" | tail -n 1)
	printf '%s\n' "$out" | sed '$d'
	pass=$(printf '%s\n' "$summary" | sed -n 's/^\([0-9][0-9]*\) passed, [0-9][0-9]* failed$/\1/p')
	fail=$(printf '%s\n' "$summary" | sed -n 's/^[0-9][0-9]* passed, \([0-9][0-9]*\) failed$/\1/p')
	if [ -z "$pass" ] || [ -z "$fail" ]; then
		echo "mustache-test: $name.json: driver failed (exit $rc)" >&2
		status=1
		continue
	fi
	[ "$rc" -ne 0 ] && status=1
	printf '%-20s %s passed, %s failed\n' "$name.json:" "$pass" "$fail"
	total_pass=$((total_pass + pass))
	total_fail=$((total_fail + fail))
done
echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -ne 0 ] && status=1
exit $status
