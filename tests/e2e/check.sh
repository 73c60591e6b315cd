#!/bin/sh
# End-to-end tests of `dossier check` (issue 7): plant each kind of error in a
# copy of a fixture site and assert the exact diagnostics, their order, the
# summary, the exit status, --strict, and --external against a server on the
# loopback interface. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." && err_lines=30 . tests/e2e/lib.sh
srv=""
on_exit='[ -n "$srv" ] && kill "$srv" 2>/dev/null'
has() { grep -qxF -- "$1" "$tmp/err"; }

# --- a clean site -----------------------------------------------------------------
site basic
"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
st=$?
check "clean site: exit 0" '[ $st -eq 0 ]'
check "clean site: summary line on stdout, diagnostics on stderr" 'grep -qxF "dossier check: 0 errors, 0 warnings (13 pages)" "$tmp/out" && ! grep -q "^dossier check:" "$tmp/err"'
check "check writes nothing" '[ ! -e "$tmp/site/public" ]'

# --- every kind of problem at once ---------------------------------------------------
site basic
c="$tmp/site/content"
printf '+++\ntitle = "Typo"\ndescripton = "x"\n+++\nSee [the heading](costs.md#no-such-heading) and [a page](nowhere.md).\n' > "$c/topics/typo.md"
printf '+++\ndescription = "no title"\nweight = "first"\n+++\nx\n' > "$c/topics/untitled.md"
printf '+++\ntitle = "Bad bytes"\n+++\nok \377 not\n' > "$c/topics/bytes.md"
printf '+++\ntitle = "Same file"\nslug = "costs"\n+++\nx\n' > "$c/topics/dup.md"
printf '+++\ntitle = "Nobody"\nkind = "persn"\naliases = ["Nobody Else"]\n+++\nx\n' > "$c/entities/nobody.md"
printf '+++\ntitle = "Orphan"\n+++\nA plain page, [old web](http://example.invalid/).\n' > "$c/orphan.md"
sed -i 's/quote = "spent only \$5.6 million"/quote = "the"/' "$c/articles/example-source.txt"
sed -i 's/wording = "spent only \$5.6 million"/wording = "spent only six dollars"/' "$c/topics/costs.md"
"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
st=$?
check "errors: exit 1" '[ $st -eq 1 ]'
check "unknown front-matter key, with a suggestion" 'has "content/topics/typo.md:3:1: warning: unknown key '"'"'descripton'"'"' (did you mean '"'"'description'"'"'?)"'
check "missing heading anchor" 'has "content/topics/typo.md:5:5: error: link target '"'"'costs.md#no-such-heading'"'"': no heading or anchor '"'"'no-such-heading'"'"' in content/topics/costs.md"'
check "missing page" 'has "content/topics/typo.md:5:49: error: link target '"'"'nowhere.md'"'"' not found"'
check "missing required key" 'has "content/topics/untitled.md:1:1: error: missing required key '"'"'title'"'"'"'
check "wrong type in front matter" 'has "content/topics/untitled.md:3:1: error: '"'"'weight'"'"' must be an integer, not string"'
check "invalid UTF-8" 'has "content/topics/bytes.md:4:4: error: invalid UTF-8"'
check "two pages writing one file" 'grep -q "^content/topics/dup.md:1:1: error: '"'"'topics/costs.html'"'"' is also written by content/topics/costs.md" "$tmp/err" || grep -q "^content/topics/costs.md:1:1: error: '"'"'topics/costs.html'"'"' is also written by content/topics/dup.md" "$tmp/err"'
check "unknown entity kind, with a suggestion" 'grep -q "^content/entities/nobody.md:3:8: error: unknown entity kind '"'"'persn'"'"' (did you mean '"'"'person'"'"'?)" "$tmp/err"'
check "entity never mentioned" 'has "content/entities/nobody.md:1:1: warning: entity '"'"'Nobody'"'"' is never mentioned"'
check "alias that occurs nowhere" 'has "content/entities/nobody.md:4:12: warning: alias '"'"'Nobody Else'"'"' occurs nowhere in the site"'
check "ambiguous annotation quote" 'grep -q "^content/articles/example-source.txt:11:1: error: annotation quote '"'"'the'"'"' matches [0-9]* times" "$tmp/err"'
check "claim wording not in the cited paragraph" 'has "content/topics/costs.md:14:11: error: claim '"'"'cost-figure'"'"': wording not found in content/articles/example-source.txt ¶3 (quote the article exactly)"'
check "page no list holds and no page links to" 'has "content/orphan.md:1:1: warning: page is not in any list and no page links to it; readers can only find it by search"'
check "http:// link" 'has "content/orphan.md:4:15: warning: external link '"'"'http://example.invalid/'"'"' uses http://; use https:// where the site supports it"'
check "sorted by file and line" 'grep -v "^dossier" "$tmp/err" | sort -t: -k1,1 -k2,2n -k3,3n -s -c'
check "summary counts" 'grep -Eq "^dossier check: [0-9]+ errors, [0-9]+ warnings \([0-9]+ pages\)$" "$tmp/out"'
check "every diagnostic matches the forge problem matcher" '! grep -v "^dossier check:" "$tmp/err" | grep -Ev "^[^:]+:[0-9]+:[0-9]+: (error|warning): |^[^: ][^:]*: (error|warning): " | grep -q .'
check "check wrote nothing" '[ ! -e "$tmp/site/public" ]'

# --- a page dropped for its slug, with history on ----------------------------------------
# The page dropped for writing another's file was freed while the history
# thread still held it (a use after free under ASan, found by
# random_sites.py's two-pages-one-slug mutation): the build must fail with
# the error and nothing else, with -j 1 and on threads.
site basic
sed -i 's/^enabled = false/enabled = true/' "$tmp/site/site.toml"
printf '+++\ntitle = "Same file"\nslug = "costs"\n+++\nx\n' > "$tmp/site/content/topics/dup.md"
git -C "$tmp/site" init -q -b main
git -C "$tmp/site" add -A
GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@x GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=a@x \
	git -C "$tmp/site" -c core.hooksPath=/dev/null commit -q -m "Add the site"
for j in 1 2 4; do
	"$bin" build -C "$tmp/site" -j $j -o "$tmp/dup-out" >"$tmp/out" 2>"$tmp/err"
	st=$?
	check "slug clash with history, -j $j: exit 1, the clash reported" '[ $st -eq 1 ] && grep -Eq "^content/topics/(dup|costs)\.md:1:1: error: '"'"'topics/costs\.html'"'"' is also written by content/topics/(costs|dup)\.md; give one of them another slug$" "$tmp/err"'
	check "slug clash with history, -j $j: no other error, nothing written" '[ "$(grep -c ": error: " "$tmp/err")" = 1 ] && [ ! -e "$tmp/dup-out" ]'
done

# --- --strict -------------------------------------------------------------------------
site basic
printf '+++\ntitle = "Orphan"\n+++\nx\n' > "$tmp/site/content/orphan.md"
"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
st=$?
check "warnings only: exit 0" '[ $st -eq 0 ]'
"$bin" check -C "$tmp/site" --strict 2>"$tmp/err"
st=$?
check "--strict: warnings fail" '[ $st -eq 1 ]'

# --- --external, against a server on the loopback interface ---------------------------
if command -v python3 >/dev/null 2>&1; then
	mkdir -p "$tmp/www" && echo ok > "$tmp/www/ok.html"
	port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
	(cd "$tmp/www" && exec python3 -m http.server "$port" --bind 127.0.0.1 >/dev/null 2>&1) &
	srv=$!
	tries=0
	until python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/ok.html')" 2>/dev/null; do
		tries=$((tries + 1)); [ $tries -gt 50 ] && break; sleep 0.1
	done
	site basic
	printf '\nLinks: [ok](http://127.0.0.1:%s/ok.html), [gone](http://127.0.0.1:%s/gone.html).\n' "$port" "$port" >> "$tmp/site/content/topics/costs.md"
	"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
	check "without --external no request is made" '! grep -q "does not answer" "$tmp/err"'
	"$bin" check -C "$tmp/site" --external 2>"$tmp/err"
	st=$?
	check "--external: a missing page is a warning" 'grep -q "^content/topics/costs.md:[0-9]*:[0-9]*: warning: external link '"'"'http://127.0.0.1:$port/gone.html'"'"' does not answer: HTTP 404$" "$tmp/err"'
	check "--external: a working link is quiet" '! grep -q "ok.html'"'"' does not answer" "$tmp/err"'
	check "--external: warnings do not fail the check" '[ $st -eq 0 ]'
	kill "$srv" 2>/dev/null; wait "$srv" 2>/dev/null; srv=""
	"$bin" check -C "$tmp/site" --external 2>"$tmp/err"
	check "--external: a server that is down is reported" 'grep -q "ok.html'"'"' does not answer: Couldn" "$tmp/err"'
else
	echo "check.sh: python3 not found; --external tests skipped"
fi

# --- the position of a link the autolink extension made ------------------------
# www. and e-mail addresses become links after the parse, with no column
# (cmark-gfm 0.29.0.gfm.6); they are placed where the text before them
# ends: the warning was "file:6: warning: ...", with no column.
site basic
printf '+++\ntitle = "Auto"\n+++\n\nFirst line of text\nthen http://www.example.com/a and\nwrite to me@example.org or\n\n- http://www.example.net/c\n\nSee <https://example.org/x>\nwww.example.org/y\n' \
	>"$tmp/site/content/auto.md"
"$bin" check -C "$tmp/site" >"$tmp/out" 2>"$tmp/err"
check "autolink on a joined line: line and column" \
	'has "content/auto.md:6:6: warning: external link '"'"'http://www.example.com/a'"'"' uses http://; use https:// where the site supports it"'
check "autolink first in a list item: line and column" \
	'has "content/auto.md:9:3: warning: external link '"'"'http://www.example.net/c'"'"' uses http://; use https:// where the site supports it"'
check "autolink first on a line after a link: line and column" \
	'has "content/auto.md:12:1: warning: external link '"'"'http://www.example.org/y'"'"' uses http://; use https:// where the site supports it"'
check "no diagnostic without a column" '! grep -E "^[^:]+:[0-9]+: " "$tmp/err"'

# --- theme diagnostics: named relative to the site, at the right line -----------
# Whatever -C says and wherever the build runs, a theme file is named as
# content files are, from the site folder, and a Sass error in the
# stylesheet itself is at its own line (the compiler sees one line of
# [params] before it; libsass names "./x" as "x": the line was one too far
# when the build ran from the site folder).
site basic
scss="$tmp/site/themes/dossier/sass/style.scss"
printf '.y { color: $nope; }\n' >>"$scss"
n=$(wc -l <"$scss")
printf '{{> nope}}\n' >>"$tmp/site/themes/dossier/templates/base.mustache"
m=$(wc -l <"$tmp/site/themes/dossier/templates/base.mustache")
for how in "-C $tmp/site" "-C ." "-C ./" "" "-C site"; do
	case $how in
	"-C site") dir=$tmp ;;
	*) dir=$tmp/site ;;
	esac
	# shellcheck disable=SC2086 # $how is a list of words
	(cd "$dir" && "$bin" check $how) >"$tmp/out" 2>"$tmp/err"
	check "theme errors with '${how:-no -C}': the stylesheet's line" \
		'has "themes/dossier/sass/style.scss:$n:13: error: Undefined variable: \"\$nope\"."'
	check "theme errors with '${how:-no -C}': the template's line" \
		'has "themes/dossier/templates/base.mustache:$m:1: error: partial '"'"'nope'"'"' not found (did you mean '"'"'home'"'"'?)"'
done

finish
