#!/bin/sh
# tests/lint/format-rows.py (make format's first step) on small files: it
# drops the trailing comma of flat lists holding several elements a line and
# nothing else.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; cat "$tmp/x.c"; fi; }
rows() { printf "$1" > "$tmp/x.c"; python3 tests/lint/format-rows.py "$tmp/x.c" > /dev/null; }

rows 'static const char *const w[] = {\n\t"a", "b", "c",\n\t"d", NULL,\n};\n'
check "a flat list of rows loses its last comma" 'grep -qx "	\"d\", NULL" "$tmp/x.c"'
rows 'static const char *const w[] = {\n\t"a",\n\t"b",\n};\n'
check "a list of one element a line keeps it" 'grep -qx "	\"b\"," "$tmp/x.c"'
rows 'static const struct r t[] = {\n\t{ 1, 2 }, { 3, 4 },\n\t{ 5, 6 },\n};\n'
check "rows of braces keep it" 'grep -qx "	{ 5, 6 }," "$tmp/x.c"'
rows 'struct s x = {\n\t.a = 1, .b = 2,\n\t.c = 3,\n};\n'
check "designated initializers keep it" 'grep -qx "	.c = 3," "$tmp/x.c"'
rows 'int f(int a, int b)\n{\n\tg(a, b,\n\t  c,\n\t  d);\n}\n'
check "a function body is left alone" 'grep -qx "	  c," "$tmp/x.c"'
rows 'enum e {\n\tA, B,\n\tC,\n};\n'
check "an enum is left alone (clang-format puts one enumerator a line)" 'grep -qx "	C," "$tmp/x.c"'

echo "format-test: $pass passed, $fail failed"
[ $fail -eq 0 ]
