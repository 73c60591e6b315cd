#!/bin/sh
# The scale benchmark's corpus (tests/bench/gen_site.c, issue 13) at N = 50:
# the same arguments give the same stream and the same commit; the tree has
# the shape the benchmark claims (80% of the pages in one folder, 1,000
# entities with aliases, pages of 3-8 kB with front matter, relative links,
# tables, lists and code, N/2 commits with edits and renames); and `dossier
# check` finds 0 errors in it, history included. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null LC_ALL=C

${MAKE:-make} -s --no-print-directory build/gen-site >/dev/null || { echo "FAIL: build/gen-site does not build"; exit 1; }
gen=$top/build/gen-site

# --- determinism ------------------------------------------------------------
"$gen" 50 >"$tmp/a.fi"
"$gen" 50 >"$tmp/b.fi"
check "same arguments, same stream" 'cmp -s "$tmp/a.fi" "$tmp/b.fi"'
"$gen" 60 >"$tmp/c.fi"
check "another N, another stream" '! cmp -s "$tmp/a.fi" "$tmp/c.fi"'
"$gen" 2>/dev/null
check "no N is a usage error (exit 2)" '[ $? -eq 2 ]'

site=$tmp/site
for d in "$site" "$tmp/again"; do
	git init -q -b main "$d"
	git -C "$d" fast-import --quiet <"$tmp/a.fi" && git -C "$d" reset -q --hard main
done
check "same stream, same commit" '[ "$(git -C "$site" rev-parse HEAD)" = "$(git -C "$tmp/again" rev-parse HEAD)" ]'

# --- shape --------------------------------------------------------------------
count() { find "$site/content/$1" -name '*.md' | wc -l; }
check "40 pages in content/pages/ (80%)" '[ "$(count pages)" -eq 40 ]'
check "5 topics, 5 articles" '[ "$(count topics)" -eq 5 ] && [ "$(count articles)" -eq 5 ]'
check "1,000 entities" '[ "$(count entities)" -eq 1000 ]'
check "5 entity kinds in 7 have aliases" '[ "$(grep -l "^aliases = \[\"" "$site"/content/entities/*.md | wc -l)" -eq 714 ]'
sizes=$(find "$site/content/pages" "$site/content/topics" "$site/content/articles" -name '*.md' -printf '%s\n' |
	sort -n | sed -n '1p;$p' | tr '\n' ' ')
check "pages of 3-8 kB ($sizes)" 'set -- $sizes; [ "$1" -ge 3000 ] && [ "$2" -le 8192 ]'
check "every page has TOML front matter" '[ "$(grep -L -x "+++" "$site"/content/pages/*.md | wc -l)" -eq 0 ]'
check "pages hold tables, lists and code" 'grep -q "^|---|" "$site/content/pages/p00001.md" && grep -q "^- " "$site/content/pages/p00001.md" && grep -q "^\`\`\`python" "$site/content/pages/p00001.md"'
check "relative links to pages, entities and article paragraphs" 'grep -q "](p[0-9]*\.md)" "$site/content/pages/p00001.md" && grep -q "](\.\./entities/e[0-9]*\.md)" "$site/content/pages/p00001.md" && grep -q "](\.\./articles/a[0-9]*\.md#p[123])" "$site/content/pages/p00001.md"'
check "25 commits (N / 2)" '[ "$(git -C "$site" rev-list --count HEAD)" -eq 25 ]'
check "the history renames pages" '[ "$(git -C "$site" log --diff-filter=R --name-status --format= | grep -c "^R")" -ge 1 ]'
check "the history edits pages" '[ "$(git -C "$site" log --diff-filter=M --format=%h | wc -l)" -ge 10 ]'
check "no draft name left at HEAD" '[ -z "$(find "$site/content" -name "draft-*")" ]'

# --- dossier reads it ---------------------------------------------------------
cp -R themes "$site/themes"
"$bin" check -C "$site" >"$tmp/out" 2>"$tmp/err"
check "dossier check: exit 0" '[ $? -eq 0 ]'
check "dossier check: 0 errors" 'grep -q "^dossier check: 0 errors" "$tmp/out" && ! grep -q ": error: " "$tmp/err"'
check "no warnings but unmentioned entities and aliases" '[ -z "$(grep ": warning: " "$tmp/err" | grep -v "is never mentioned\|occurs nowhere in the site")" ]'

finish "bench corpus"
