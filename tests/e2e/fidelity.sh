#!/bin/sh
# End-to-end tests of issue 14 (fidelity): article .md pages render as any
# page does (tight lists, task items, list start, inline raw HTML in unsafe
# mode); safe mode reports every drop at file:line:col and --strict fails on
# it; heading ids are GitHub's; links resolve as on a forge (percent-encoded
# targets, folders) and every href written is percent-encoded and opens the
# file it names. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh
has() { grep -qF -- "$1" "$2"; }

# A small site: a Markdown article, two topics, a page in a folder, files
# whose names need percent-encoding.
mk() {
	rm -rf "$tmp/site"
	mkdir -p "$tmp/site/content/articles" "$tmp/site/content/topics" "$tmp/site/content/guides"
	cp -R themes "$tmp/site/themes"
	c="$tmp/site/content"
	printf 'title = "Fidelity"\n[history]\nenabled = false\n' > "$tmp/site/site.toml"
	[ "${1:-}" = unsafe ] && printf '[markdown]\nunsafe = true\n' >> "$tmp/site/site.toml"
	printf '+++\ntitle = "Home"\n+++\nSee [topics](topics/), [guides](guides) and [the list](articles/).\n' > "$c/_index.md"
	cat > "$c/articles/notes.md" <<'MD'
+++
title = "Notes"
publisher = "unknown"
published = "unknown"
url = "unknown"
+++
Intro with <b>bold</b> raw HTML.

- tight one
- tight two

* [ ] open task
* [x] done task

0. zero
1. one
MD
	cat > "$c/topics/my page.md" <<'MD'
+++
title = "My page"
+++
# What’s new in Ärger?

## Notes

## Notes

See [the other](a%23b%3Fc.md), [the folder](../guides/), [home](../) and [notes](#notes-1).
Also [fifty](50%25.md), [top](#) and [this folder](.).
MD
	printf '+++\ntitle = "Fifty percent"\n+++\nx\n' > "$c/topics/50%.md"
	printf '+++\ntitle = "Odd name"\n+++\nBack to [my page](my%%20page.md#whats-new-in-ärger) and [again](<my page.md#whats-new-in-%%C3%%A4rger>).\n' > "$c/topics/a#b?c.md"
	printf '+++\ntitle = "Guides"\n+++\nRead [the odd one](../topics/a%%23b%%3Fc.md).\n' > "$c/guides/README.md"
}

# --- one rendering path ------------------------------------------------------
mk unsafe
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "unsafe site builds" '[ $? -eq 0 ]'
out="$tmp/site/public"
a="$out/articles/notes.html"
check "article: tight list items hold no <p>" 'has "<li id=\"p2\">tight one <a class=\"para-link\"" "$a"'
check "article: task items keep their checkboxes" 'has "<li id=\"p4\"><input type=\"checkbox\" disabled=\"\" /> open task" "$a" && has "<li id=\"p5\"><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done task" "$a"'
check "article: <ol start=\"0\"> kept" 'has "<ol start=\"0\">" "$a"'
check "article: inline raw HTML kept intact in unsafe mode" 'has "<p id=\"p1\">Intro with <b>bold</b> raw HTML." "$a"'
check "unsafe mode: no drop warnings" '! grep -q "dropped" "$tmp/err"'

# --- heading ids ---------------------------------------------------------------
t="$out/topics/my%20page.html"
t="$out/topics/my page.html"
check "GitHub heading id for non-ASCII text" 'has "<h1 id=\"whats-new-in-ärger\"><a class=\"anchor\" href=\"#whats-new-in-%C3%A4rger\"" "$t"'
check "duplicate headings numbered -1" 'has "<h2 id=\"notes-1\">" "$t"'

# --- links as a forge resolves them -------------------------------------------------
check "percent-encoded target resolves and is written encoded" 'has "href=\"a%23b%3Fc.html\"" "$t"'
check "link to a folder opens its README.md" 'has "href=\"../guides/README.html\"" "$t"'
check "link to the content root opens the home page" 'has "href=\"../index.html\"" "$t"'
check "link to a section folder opens its list page" 'has "href=\"articles/index.html\"" "$out/index.html" && has "href=\"topics/index.html\"" "$out/index.html"'
check "folder without a slash resolves too" 'has "href=\"guides/README.html\"" "$out/index.html"'
check "link into a name with a space, fragment decoded and re-encoded" 'has "href=\"my%20page.html#whats-new-in-%C3%A4rger\"" "$out/topics/a#b?c.html"'
check "the file with #, ? in its name is written under its name" '[ -f "$out/topics/a#b?c.html" ]'
check "a % in a file name is encoded" 'has "href=\"50%25.html\"" "$t"'
check "a link to # keeps its #, the top of the page" 'has "<a href=\"#\">top</a>" "$t"'
check "a link to . opens the folder's list page" 'has "<a href=\"index.html\">this folder</a>" "$t"'
# A file name that is not UTF-8 is an error of the content walk (hostile.sh
# checks the message): pages and their URLs are UTF-8.

# Every relative href/src, percent-decoded to bytes, names a file on disk.
python3 - "$out" > "$tmp/broken" <<'PY'
import os, re, sys, urllib.parse
out = os.fsencode(sys.argv[1])
for d, _, files in os.walk(out):
    for f in files:
        if not f.endswith(b".html"):
            continue
        for u in set(re.findall(rb'(?:href|src)="([^"#:]+)', open(os.path.join(d, f), "rb").read())):
            if not os.path.exists(os.path.join(d, urllib.parse.unquote_to_bytes(u))):
                print("broken link in %r: %r" % (f, u))
PY
cat "$tmp/broken"
broken=$(wc -l < "$tmp/broken")
check "every href, decoded, opens a file" '[ $broken -eq 0 ]'
check "no raw space, # or ? in a generated path" '! grep -rhoE "href=\"[^\"#]*(\?| )[^\"]*\"" "$out" --include=*.html | grep -q .'

# --- raw HTML is never dropped silently -------------------------------------------------
mk
cat >> "$tmp/site/content/topics/my page.md" <<'MD'

<div class="x">
block
</div>

A [bad](javascript:alert(1)) link, ![pic](data:image/png;base64,AA) and ![bad](vbscript:x).
MD
"$bin" check -C "$tmp/site" 2>"$tmp/err"
st=$?
check "check: drops are warnings, exit 0" '[ $st -eq 0 ]'
check "inline raw HTML in an article .md reported at its column" 'has "content/articles/notes.md:7:12: warning: raw HTML '"'"'<b>'"'"' dropped (to keep it, set [markdown] unsafe = true)" "$tmp/err"'
check "closing tag reported too" 'has "content/articles/notes.md:7:19: warning: raw HTML '"'"'</b>'"'"' dropped" "$tmp/err"'
check "raw HTML block reported" 'has "content/topics/my page.md:13:1: warning: raw HTML block '"'"'<div class=\"x\">'"'"' dropped (to keep it, set [markdown] unsafe = true)" "$tmp/err"'
check "javascript: URL reported" 'has "content/topics/my page.md:17:3: warning: link URL '"'"'javascript:alert(1)'"'"' dropped" "$tmp/err"'
check "vbscript: image reported, data: PNG kept" 'has "content/topics/my page.md:17:73: warning: image URL '"'"'vbscript:x'"'"' dropped" "$tmp/err" && ! grep -q "data:image/png" "$tmp/err"'
"$bin" check --strict -C "$tmp/site" 2>"$tmp/err"
check "check --strict: a drop fails the check" '[ $? -eq 1 ]'
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "build: succeeds with the warnings" '[ $? -eq 0 ] && has "warning: raw HTML" "$tmp/err"'
check "build: the dropped HTML is not in the page" '! grep -q "<div class=\"x\">" "$tmp/site/public/topics/my page.html" && ! grep -q "<b>bold" "$tmp/site/public/articles/notes.html"'
check "build: the data: PNG image is kept" 'has "src=\"data:image/png;base64,AA\"" "$tmp/site/public/topics/my page.html"'

mk
printf '\nA [broken](nope%%20x.md) one.\n' >> "$tmp/site/content/topics/my page.md"
"$bin" check -C "$tmp/site" 2>"$tmp/err"
check "a missing percent-encoded target is an error naming it as written" 'has "content/topics/my page.md:13:3: error: link target '"'"'nope%20x.md'"'"' not found" "$tmp/err"'

finish
