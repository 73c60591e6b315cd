#!/bin/sh
# End-to-end tests of what a newcomer from another tool meets: YAML front
# matter, pages without front matter, `dossier init`, `--version`, the man
# page against --help. Prints "N passed, N failed"; exit 1 on failure.
set -u
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh

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
"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
check "YAML errors: exit 1" '[ $? -eq 1 ]'
check "YAML duplicate key at line:col" 'grep -qx "content/dup.md:3:1: error: duplicate key '"'"'title'"'"'" "$tmp/err"'
check "YAML syntax error at line:col" 'grep -q "^content/syntax.md:3:1: error: YAML: did not find expected" "$tmp/err"'
check "YAML value type checked like TOML" 'grep -qx "content/type.md:3:1: error: '"'"'weight'"'"' must be an integer, not string" "$tmp/err"'
check "no header and no heading says how to add one" 'grep -q "^content/untitled.md:1:1: error: no front matter and no leading '"'"'# Title'"'"' heading" "$tmp/err"'
check "unclosed YAML header" 'grep -q "^content/unclosed.md:1:1: error: front matter is not closed: no '"'"'---'"'"' line" "$tmp/err"'

# --- dossier init ---------------------------------------------------------------
new="$tmp/mydossier"
"$bin" init "$new" >"$tmp/out" 2>"$tmp/err"
check "init: exit 0" '[ $? -eq 0 ]'
check "init: says what it wrote and what to do next" 'grep -q "^dossier: wrote 11 files into $new; next: dossier serve -C $new$" "$tmp/out"'
for f in site.toml .gitignore content/_index.md content/about.md content/articles/example-article.txt \
	content/topics/example-topic.md content/entities/example-labs.md content/entities/jane-analyst.md \
	.github/workflows/pull-request.yml .github/workflows/publish.yml .github/dossier-matcher.json; do
	check "init: writes $f" '[ -s "$new/$f" ]'
done
check "init: the problem matcher is the project's own" 'cmp -s "$new/.github/dossier-matcher.json" .github/dossier-matcher.json'
check "init: site.toml comments every key" 'for k in title description language theme base_url unsafe link enabled diffs emails ignore url branch drop; do grep -q "^#* *$k = " "$new/site.toml" || exit 1; done'
check "init: two annotations in the example article" '[ "$(grep -c "^\[\[annotations\]\]" "$new/content/articles/example-article.txt")" -eq 2 ]'
# An installed binary finds the themes it was installed with.
make -s install DESTDIR="$tmp/dest" PREFIX=/usr >/dev/null 2>"$tmp/err"
inst="$tmp/dest/usr/bin/dossier"
git -C "$new" init -q && git -C "$new" add -A && git -C "$new" -c user.name=T -c user.email=t@example.org commit -qm "dossier init"
"$inst" check --strict -C "$new" >"$tmp/out" 2>"$tmp/err"
check "init: check --strict passes unchanged (installed themes, git history)" '[ $? -eq 0 ] && grep -q "^dossier check: 0 errors, 0 warnings" "$tmp/out"'
"$inst" build -C "$new" -q 2>"$tmp/err"
check "init: build passes unchanged" '[ $? -eq 0 ] && [ -f "$new/public/articles/example-article.html" ] && [ -f "$new/public/topics/example-topic.html" ]'
check "init: the built site has history from git" 'grep -q "dossier init" "$new/public/changes.html"'
"$bin" init "$new" 2>"$tmp/err"
check "init: refuses a folder that is not empty, naming what is there" '[ $? -eq 1 ] && grep -q "folder is not empty (.git, .github, .gitignore, content, public, …); use --force" "$tmp/err"'
echo "edited" > "$new/content/about.md"
rm "$new/content/topics/example-topic.md"
"$bin" init --force "$new" >"$tmp/out" 2>"$tmp/err"
check "init --force: adds what is missing" '[ $? -eq 0 ] && [ -s "$new/content/topics/example-topic.md" ] && grep -q "wrote 1 file into" "$tmp/out"'
check "init --force: never overwrites a file" '[ "$(cat "$new/content/about.md")" = "edited" ] && grep -q "content/about.md: note: exists; kept as it is" "$tmp/err"'
mkdir -p "$tmp/outside" "$tmp/trap"
ln -s "$tmp/outside" "$tmp/trap/content"
"$bin" init --force "$tmp/trap" >/dev/null 2>"$tmp/err"
check "init --force: does not write through a symbolic link out of the folder" '[ $? -eq 1 ] && [ -z "$(ls -A "$tmp/outside")" ] && grep -q "a symbolic link leads this file outside the new site" "$tmp/err"'
printf 'x' > "$tmp/afile"
"$bin" init "$tmp/afile" 2>"$tmp/err"
check "init: a file is not a folder" '[ $? -eq 1 ] && grep -q "exists and is not a folder" "$tmp/err"'

# --- dossier new article --from ----------------------------------------------------
git -C "$new" checkout -q content/about.md
printf 'A scraped headline line\nThe first paragraph of the scrape, with “curly quotes”.\n' > "$tmp/scrape-042.txt"
"$bin" new article "A Scraped Story" --from "$tmp/scrape-042.txt" -C "$new" >"$tmp/out" 2>"$tmp/err"
a="$new/content/articles/a-scraped-story.txt"
check "new --from: writes the article" '[ $? -eq 0 ] && [ -f "$a" ]'
check "new --from: header names the seed" 'grep -q "^seed = \"scrape-042.txt\"" "$a"'
check "new --from: unknown metadata stays unknown" 'grep -q "^publisher = \"unknown\"" "$a" && grep -q "^published = \"unknown\"" "$a" && grep -q "^url = \"unknown\"" "$a"'
awk 'n >= 2 { print } /^\+\+\+$/ { n++ }' "$a" >"$tmp/body"
check "new --from: the text is copied verbatim below the header" 'cmp -s "$tmp/body" "$tmp/scrape-042.txt"'
"$inst" check -C "$new" >/dev/null 2>"$tmp/err"
check "new --from: the site still checks" '[ $? -eq 0 ]'
printf 'bad\0byte\n' > "$tmp/nul.txt"
"$bin" new article "Nul" --from "$tmp/nul.txt" -C "$new" 2>"$tmp/err"
check "new --from: a NUL byte is an error at line:col" '[ $? -eq 1 ] && grep -q "nul.txt:1:4: error: NUL byte: not a text file" "$tmp/err" && [ ! -f "$new/content/articles/nul.txt" ]'
"$bin" new topic "T" --from "$tmp/scrape-042.txt" -C "$new" 2>"$tmp/err"
check "new --from: only for articles" '[ $? -eq 2 ] && grep -q "\-\-from goes with" "$tmp/err"'

# --- --version, help and the man page -------------------------------------------------
"$bin" --version >"$tmp/out"
check "--version names the libraries" 'for l in dossier cmark-gfm libgit2 libsass libyaml; do grep -q "^$l [0-9]" "$tmp/out" || exit 1; done'
# Every command of --help has a section in the man page, and each command's
# options in `dossier help CMD` and in its man section are the same set.
cmds=$("$bin" --help | sed -n 's/^  \([a-z][a-z]*\)  .*/\1/p')
check "--help lists the commands" '[ -n "$cmds" ]'
for c in $cmds; do
	check "man page: a section for '$c'" 'grep -q "^\.SS $c$" doc/dossier.1'
	[ "$c" = help ] && continue
	"$bin" help "$c" | sed -n '1,/^$/p' | grep -oE '(^|[[ |])-(-[a-z][-a-z]*|[a-zA-Z])' | sed 's/^[[ |]//' | sort -u >"$tmp/help-opts"
	sed -n "/^\.B dossier $c$/{n;p;}" doc/dossier.1 | sed 's/\\-/-/g; s/\\f[BIR]//g' |
		grep -oE '(^|[[ |])-(-[a-z][-a-z]*|[a-zA-Z])' | sed 's/^[[ |]//' | sort -u >"$tmp/man-opts"
	check "man page: '$c' has the options of 'dossier help $c'" 'diff "$tmp/help-opts" "$tmp/man-opts" >"$tmp/err"'
done
check "man page: documents the exit statuses" 'grep -q "^\.SH EXIT STATUS" doc/dossier.1 && grep -q "^\.B 2$" doc/dossier.1'
check "man page: documents the environment" 'grep -q "^\.SH ENVIRONMENT" doc/dossier.1 && grep -q "NO_COLOR" doc/dossier.1'
if command -v groff >/dev/null 2>&1; then
	groff -man -ww -z doc/dossier.1 2>"$tmp/err"
	check "man page: groff reads it without warnings" '[ ! -s "$tmp/err" ]'
fi

# --- entity sameAs: wikidata and links -------------------------------------------------
site basic
printf '+++\ntitle = "Acme Labs"\nkind = "organization"\naliases = ["Acme"]\nwikidata = "Q42"\nlinks = ["https://example.org/acme"]\n+++\n\nThe company [](../articles/example-source.txt#p1).\n' > "$tmp/site/content/entities/acme-labs.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "entity sameAs: builds" '[ $? -eq 0 ]'
check "entity sameAs: Wikidata and links in the JSON-LD" 'grep -q "\"sameAs\":\[\"https://www.wikidata.org/wiki/Q42\",\"https://example.org/acme\"\]" "$tmp/site/public/entities/acme-labs.html"'
check "entity sameAs: an Organization" 'grep -q "\"@type\":\"Organization\",\"name\":\"Acme Labs\"" "$tmp/site/public/entities/acme-labs.html"'
printf '+++\ntitle = "Acme Labs"\nkind = "organization"\nwikidata = "42"\nlinks = ["javascript:alert(1)"]\n+++\nx\n' > "$tmp/site/content/entities/acme-labs.md"
"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
check "entity sameAs: a bad wikidata id is an error" 'grep -q "content/entities/acme-labs.md:4:12: error: wikidata must be an item id such as \"Q42\", not '"'"'42'"'"'" "$tmp/err"'
check "entity sameAs: a javascript: link is an error" 'grep -q "content/entities/acme-labs.md:5:10: error: links must be http(s) URLs" "$tmp/err"'

# --- import --from hugo / mdbook ----------------------------------------------------------
conv_site() { # converted content folder -> a buildable site in $tmp/conv
	rm -rf "$tmp/conv" && mkdir -p "$tmp/conv" && cp -R "$1" "$tmp/conv/content" && cp -R themes "$tmp/conv/themes"
	printf 'title = "Converted"\n[history]\nenabled = false\n' > "$tmp/conv/site.toml"
}
"$bin" import --from hugo tests/fixtures/hugo -o "$tmp/hugo-out" >"$tmp/out" 2>"$tmp/err"
check "hugo: converts with exit 0" '[ $? -eq 0 ] && grep -qx "dossier: converted 5 pages and copied 1 file into $tmp/hugo-out (5 warnings)" "$tmp/out"'
h="$tmp/hugo-out"
check "hugo: YAML front matter becomes TOML with the kept keys" 'grep -qx "title = \"First post\"" "$h/posts/first.md" && grep -qx "date = 2025-01-27T10:00:00+08:00" "$h/posts/first.md" && head -1 "$h/posts/first.md" | grep -qx "+++"'
check "hugo: summary becomes the description" 'grep -qx "description = \"The first post, in short.\"" "$h/posts/first.md"'
check "hugo: aliases become redirect_from" 'grep -qx "redirect_from = \[\"old/first/index.html\"\]" "$h/posts/first.md"'
check "hugo: a key with no equivalent is reported at its line" 'grep -qx "tests/fixtures/hugo/content/posts/first.md:5:1: warning: Hugo front matter key '"'"'tags'"'"' has no dossier equivalent; left out" "$tmp/err"'
check "hugo: JSON front matter is read" 'grep -qx "title = \"Second post\"" "$h/posts/second.md" && grep -q "content/posts/second.md:4:3: warning: Hugo front matter key '"'"'categories'"'"'" "$tmp/err"'
check "hugo: ref and relref become relative links" 'grep -qF "[the first post](posts/first.md) and [the bundle](posts/bundle/_index.md)" "$h/_index.md" && grep -qF "[back](first.md)" "$h/posts/second.md"'
check "hugo: a missing ref target is reported" 'grep -q "second.md:6:79: warning: ref target '"'"'missing.md'"'"' not found; kept as written" "$tmp/err"'
check "hugo: a shortcode is reported at file:line:col and removed" 'grep -q "first.md:11:18: warning: Hugo shortcode '"'"'{{< youtube >}}'"'"' has no dossier equivalent; removed$" "$tmp/err" && ! grep -q youtube "$h/posts/first.md"'
check "hugo: a paired shortcode keeps its inner text" 'grep -q "first.md:13:1: warning: Hugo shortcode '"'"'{{< highlight >}}'"'"' has no dossier equivalent; removed, with its closing tag" "$tmp/err" && grep -qF "fmt.Println(\"kept\")" "$h/posts/first.md" && ! grep -q highlight "$h/posts/first.md"'
check "hugo: the escaped shortcode becomes literal text" 'grep -qF "A literal shortcode: {{< figure src=\"x.png\" >}}." "$h/posts/first.md"'
check "hugo: a leaf bundle keeps its URL and resources" '[ -f "$h/posts/bundle/_index.md" ] && cmp -s "$h/posts/bundle/picture.png" tests/fixtures/hugo/content/posts/bundle/picture.png'
sed -i 's/ and to \[nothing\](missing.md)//' "$h/posts/second.md"
conv_site "$h"
"$bin" build -C "$tmp/conv" -q 2>"$tmp/err"
check "hugo: the converted content builds" '[ $? -eq 0 ] && [ -f "$tmp/conv/public/posts/first.html" ] && [ -f "$tmp/conv/public/posts/bundle/index.html" ] && [ -f "$tmp/conv/public/old/first/index.html" ]'
"$bin" import --from hugo tests/fixtures/hugo -o "$h" 2>"$tmp/err"
check "hugo: refuses a folder that is not empty" '[ $? -eq 1 ] && grep -q "folder is not empty; convert into a new folder" "$tmp/err"'

rm -rf "$tmp/hugo-html"
cp -R tests/fixtures/hugo "$tmp/hugo-html"
printf '<p>raw</p>\n' >"$tmp/hugo-html/content/raw.html"
"$bin" import --from hugo "$tmp/hugo-html" -o "$tmp/hugo-html-out" >/dev/null 2>"$tmp/err"
check "hugo: an HTML page is copied with one warning, which says it needs unsafe mode" \
	'[ "$(grep -c "raw.html" "$tmp/err")" = 1 ] && grep -qx "$tmp/hugo-html/content/raw.html: warning: an HTML content page is not converted (dossier renders Markdown); copied as a file, which a build publishes only with \[markdown\] unsafe = true" "$tmp/err"'

"$bin" import --from mdbook tests/fixtures/mdbook -o "$tmp/book-out" >"$tmp/out" 2>"$tmp/err"
check "mdbook: converts with exit 0" '[ $? -eq 0 ] && grep -qx "dossier: converted 4 pages and copied 1 file into $tmp/book-out (4 warnings)" "$tmp/out"'
check "mdbook: a copied file the build will not publish in safe mode is reported" \
	'grep -qx "tests/fixtures/mdbook/src/guide/diagram.svg: warning: copied, but a build publishes it only with \[markdown\] unsafe = true: a .svg file could hold markup or script that would run on the site" "$tmp/err"'
b="$tmp/book-out"
check "mdbook: README.md becomes _index.md" '[ -f "$b/_index.md" ] && [ ! -f "$b/README.md" ] && grep -qx "title = \"Introduction\"" "$b/_index.md"'
check "mdbook: SUMMARY order becomes weight" 'grep -qx "weight = 10" "$b/_index.md" && grep -qx "weight = 20" "$b/guide/start.md" && grep -qx "weight = 30" "$b/guide/details.md" && grep -qx "weight = 40" "$b/appendix.md"'
check "mdbook: the leading # heading is the title, not printed twice" 'grep -qx "title = \"Appendix A\"" "$b/appendix.md" && ! grep -q "^# Appendix A" "$b/appendix.md"'
check "mdbook: without a heading, SUMMARY names the page" 'grep -qx "title = \"Details\"" "$b/guide/details.md"'
check "mdbook: links to README.md follow it" 'grep -qF "[introduction](../_index.md)" "$b/guide/start.md"'
check "mdbook: {{#include}} is reported and removed" 'grep -qx "tests/fixtures/mdbook/src/guide/start.md:3:1: warning: mdBook '"'"'{{#include}}'"'"' has no dossier equivalent; removed" "$tmp/err" && ! grep -q "{{#include ../../" "$b/guide/start.md"'
check "mdbook: an escaped \{{#include}} stays literal" 'grep -qF "An escaped {{#include x}} stays." "$b/guide/start.md"'
check "mdbook: a chapter SUMMARY.md does not list is reported and left out" 'grep -qx "tests/fixtures/mdbook/src/orphan.md: warning: not listed in SUMMARY.md (mdBook does not render it); left out" "$tmp/err" && [ ! -f "$b/orphan.md" ]'
check "mdbook: draft chapters and part titles are reported" 'grep -q "SUMMARY.md:9:3: note: draft chapter '"'"'A draft'"'"'" "$tmp/err" && grep -q "SUMMARY.md:5:1: note: part title '"'"'The guide'"'"'" "$tmp/err"'
check "mdbook: assets are copied" '[ -f "$b/guide/diagram.svg" ]'
conv_site "$b"
"$bin" build -C "$tmp/conv" -q 2>"$tmp/err"
check "mdbook: the converted book builds" '[ $? -eq 0 ] && [ -f "$tmp/conv/public/index.html" ] && [ -f "$tmp/conv/public/guide/start.html" ]'
check "mdbook: the SVG is withheld in safe mode, with a warning" \
	'[ ! -e "$tmp/conv/public/guide/diagram.svg" ] && grep -q "^content/guide/diagram.svg: warning: not published: a .svg file" "$tmp/err"'
"$bin" import --from sphinx tests/fixtures/mdbook -o "$tmp/x" 2>"$tmp/err"
check "import --from: an unknown tool is a usage error" '[ $? -eq 2 ] && grep -q "takes hugo or mdbook" "$tmp/err"'

# --- CLI conventions: colours, stdout/stderr, serve --open -------------------------------
site basic
printf '+++\ntitle = "Broken"\n+++\n[a](nope.md)\n' > "$tmp/site/content/broken.md"
if command -v script >/dev/null 2>&1; then
	script -qc "'$bin' check -C '$tmp/site'" /dev/null >"$tmp/tty" 2>&1
	check "colours: error in red on a terminal" 'grep -q "$(printf "\033\\[1;31merror:")" "$tmp/tty"'
	NO_COLOR=1 script -qc "'$bin' check -C '$tmp/site'" /dev/null >"$tmp/tty" 2>&1
	check "colours: none with NO_COLOR" 'grep -q "error: link target" "$tmp/tty" && ! grep -q "$(printf "\033")" "$tmp/tty"'
else
	echo "ecosystem: SKIPPED the terminal colour checks: script(1) is not installed"
fi
if command -v script >/dev/null 2>&1; then
	DOSSIER_PROGRESS_AFTER=0 script -qc "'$bin' build -C '$tmp/site' -o '$tmp/pg'" /dev/null >"$tmp/tty" 2>&1
	check "progress: a phase line on a terminal, cleared before anything else is printed" 'cat -v "$tmp/tty" | grep -q "\^\[\[Kdossier: [a-z ]*\.\.\.\^M\^\[\[K"'
fi
DOSSIER_PROGRESS_AFTER=0 "$bin" build -C "$tmp/site" -o "$tmp/pg" >"$tmp/out" 2>"$tmp/err"
check "progress: none when piped" '! grep -q "\.\.\." "$tmp/err"'
"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
check "colours: none when piped" '! grep -q "$(printf "\033")" "$tmp/err"'
check "diagnostics on stderr, the summary on stdout" 'grep -q "error: link target" "$tmp/err" && ! grep -q "error:" "$tmp/out" && grep -q "^dossier check: 1 error" "$tmp/out"'
rm "$tmp/site/content/broken.md"
printf '#!/bin/sh\necho "$1" > "%s/opened"\n' "$tmp" > "$tmp/browser.sh" && chmod +x "$tmp/browser.sh"
BROWSER="$tmp/browser.sh" "$bin" serve --port 0 --open -C "$tmp/site" >"$tmp/serve.out" 2>&1 &
spid=$!
i=0; while [ ! -s "$tmp/opened" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
kill $spid 2>/dev/null; wait $spid 2>/dev/null
check "serve --open starts \$BROWSER on the address it serves" '[ -s "$tmp/opened" ] && grep -q "^serving $(cat "$tmp/opened") (Ctrl-C to stop)$" "$tmp/serve.out"'

finish
