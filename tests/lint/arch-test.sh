#!/bin/sh
# The include checker (tests/lint/arch.py) on small trees of its own: it
# passes a tree that keeps the rules and names each broken rule.
set -u
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
check() { if eval "$2"; then pass=$((pass + 1)); else fail=$((fail + 1)); echo "FAIL: $1"; sed 's/^/    /' "$tmp/out"; fi; }
tree() {
	rm -rf "$tmp/g"
	mkdir -p "$tmp/g/lib" "$tmp/g/model" "$tmp/g/load" "$tmp/g/link" "$tmp/g/render" "$tmp/g/cmd"
	echo '#include "strbuf.h"' > "$tmp/g/lib/strbuf.c"; : > "$tmp/g/lib/strbuf.h"
	printf '#include "strbuf.h"\n#include <stdio.h>\n' > "$tmp/g/model/site.h"
	echo '#include "site.h"' > "$tmp/g/load/content.c"
	printf '#include "site.h"\n#include "content.h"\n' > "$tmp/g/link/link.c"; : > "$tmp/g/load/content.h"
	printf '#include "site.h"\n#include "markdown.h"\n' > "$tmp/g/render/render.c"; : > "$tmp/g/load/markdown.h"
	printf '#include "link.h"\n#include "render.h"\n' > "$tmp/g/cmd/main.c"
	: > "$tmp/g/link/link.h"; : > "$tmp/g/render/render.h"
}
run() { python3 tests/lint/arch.py "$tmp/g" > "$tmp/out" 2>&1; st=$?; }

tree; run
check "a tree that keeps the rules passes" '[ $st -eq 0 ] && grep -q "0 problem(s)" "$tmp/out"'

tree; echo '#include "site.h"' >> "$tmp/g/lib/strbuf.h"; run
check "a cycle fails and is printed as a path" '[ $st -eq 1 ] && grep -qxF "arch: include cycle: site -> strbuf -> site" "$tmp/out"'
check "lib including model fails" 'grep -qF "generator/lib/strbuf.h includes model/site.h: lib may not depend on model" "$tmp/out"'

tree; echo '#include "link.h"' >> "$tmp/g/render/render.c"; run
check "render including link fails" '[ $st -eq 1 ] && grep -qF "generator/render/render.c includes link/link.h: render may not depend on link" "$tmp/out"'

tree; echo '#include "content.h"' >> "$tmp/g/render/render.c"; run
check "render including a loader other than markdown.h and theme.h fails" '[ $st -eq 1 ] && grep -qF "render/render.c includes load/content.h" "$tmp/out"'

tree; : > "$tmp/g/model/content.h"; run
check "two headers with one basename fail" '[ $st -eq 1 ] && grep -qF "generator/load/content.h: basename also in generator/model/" "$tmp/out"'

tree; printf '#include "a.h"\n' > "$tmp/g/lib/c.h"; printf '#include "b.h"\n' > "$tmp/g/lib/a.h"; printf '#include "c.h"\n' > "$tmp/g/lib/b.h"; run
check "a longer cycle is printed whole" 'grep -qxF "arch: include cycle: a -> b -> c -> a" "$tmp/out"'

echo "arch-test: $pass passed, $fail failed"
[ $fail -eq 0 ]
