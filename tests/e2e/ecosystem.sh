#!/bin/sh
# End-to-end tests of what a newcomer from another tool meets: YAML front
# matter, pages without front matter, `dossier init`, `--version`, the man
# page against --help. Prints "N passed, N failed"; exit 1 on failure.
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
bin="${DOSSIER:-$top/build/dossier}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0

ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $1"; [ -f "$tmp/err" ] && sed 's/^/    /' "$tmp/err" | head -20; }
check() { if eval "$2"; then ok; else ko "$1"; fi; }

site() {
	rm -rf "$tmp/site"
	cp -R "tests/fixtures/$1" "$tmp/site"
	cp -R themes "$tmp/site/themes"
}

# --- YAML front matter ---------------------------------------------------------
site basic
cat > "$tmp/site/content/yaml-page.md" <<'MD'
---
title: "A YAML page"
date: 2025-01-27T10:00:00+08:00
draft: false
weight: 3
description: Written by a Markdown editor
aliases:
  - /old/yaml-page/
  - /older.html
---

Body of the [YAML page](yaml-page.md).
MD
cat > "$tmp/site/content/yaml-draft.md" <<'MD'
---
title: Draft
draft: true
---
Not published.
MD
printf '# Title From The Heading\n\nA page with no header, as mdBook writes them. See [the YAML page](yaml-page.md).\n' > "$tmp/site/content/no-header.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "YAML and header-less pages build" '[ $? -eq 0 ]'
out="$tmp/site/public"
check "YAML title used" 'grep -q "<title>A YAML page" "$out/yaml-page.html"'
check "YAML description used" 'grep -q "Written by a Markdown editor" "$out/yaml-page.html"'
check "YAML draft skipped" '[ ! -f "$out/yaml-draft.html" ]'
check "Hugo aliases become redirect pages (folder URL)" 'grep -q "url=../../yaml-page.html" "$out/old/yaml-page/index.html"'
check "Hugo aliases become redirect pages (file URL)" 'grep -q "url=yaml-page.html" "$out/older.html"'
check "title taken from the leading # heading" 'grep -q "<title>Title From The Heading" "$out/no-header.html"'
check "the heading is not printed twice" '[ "$(grep -c "Title From The Heading</h1>" "$out/no-header.html")" -eq 1 ]'

printf -- '---\ntitle: ok\ntitle: twice\n---\nx\n' > "$tmp/site/content/dup.md"
printf -- '---\ntitle: [unclosed\n---\nx\n' > "$tmp/site/content/syntax.md"
printf -- '---\ntitle: t\nweight: heavy\n---\nx\n' > "$tmp/site/content/type.md"
printf 'Just text, no heading.\n' > "$tmp/site/content/untitled.md"
printf -- '---\ntitle: open\nx\n' > "$tmp/site/content/unclosed.md"
"$bin" check -C "$tmp/site" 2>"$tmp/err"
check "YAML errors: exit 1" '[ $? -eq 1 ]'
check "YAML duplicate key at line:col" 'grep -qx "content/dup.md:3:1: error: duplicate key '"'"'title'"'"'" "$tmp/err"'
check "YAML syntax error at line:col" 'grep -q "^content/syntax.md:3:1: error: YAML: did not find expected" "$tmp/err"'
check "YAML value type checked like TOML" 'grep -qx "content/type.md:3:1: error: '"'"'weight'"'"' must be an integer, not string" "$tmp/err"'
check "no header and no heading says how to add one" 'grep -q "^content/untitled.md:1:1: error: no front matter and no leading '"'"'# Title'"'"' heading" "$tmp/err"'
check "unclosed YAML header" 'grep -q "^content/unclosed.md:1:1: error: front matter is not closed: no '"'"'---'"'"' line" "$tmp/err"'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
