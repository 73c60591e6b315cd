#!/bin/sh
# End-to-end tests of the article importer through build/dossier (issue 14;
# issue 11 findings 9 and 11): import --explain, header overrides and the
# warnings `check` gives when they go stale, control bytes as errors, lone
# CRs, URLs that cannot turn into markup. Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh

# An article source: header lines 1-9, text from line 10 on ($1: extra
# header line, or a comment; $2: the text, printf format).
article() {
	{
		printf '+++\ntitle = "T"\npublisher = "unknown"\npublished = "unknown"\n'
		printf 'url = "unknown"\nshort = "T"\n%s\n# pad\n+++\n' "$1"
		printf "$2"
	} >"$tmp/site/content/articles/t.txt"
}
a="$tmp/site/content/articles/t.txt"
page="$tmp/site/public/articles/t.html"

# --- import --explain -----------------------------------------------------------
site basic
article '# none' 'Intro sentence here.\nMarket Impact\nStocks fell.\nBy Jane Doe\n1. One.\n  - Sub.\n'
"$bin" import --explain "$a" >"$tmp/md" 2>"$tmp/err"
check "import --explain exits 0" '[ $? -eq 0 ]'
check "import --explain still prints the Markdown" 'grep -qx "## Market Impact" "$tmp/md"'
check "--explain names the heading rule at the file line" \
	'grep -qx "$a:11:1: note: heading: title case, followed by body text: \"Market Impact\"" "$tmp/err"'
check "--explain says why a byline is no heading" 'grep -qx "$a:13:1: note: not a heading: byline: \"By Jane Doe\"" "$tmp/err"'
check "--explain lists ordered and nested items" \
	'grep -qx "$a:14:1: note: ordered list item: line starts with a list marker: \"1. One.\"" "$tmp/err" &&
	 grep -qx "$a:15:1: note: list item: list marker, indented deeper than the item before: \"- Sub.\"" "$tmp/err"'
"$bin" import -v "$a" >/dev/null 2>"$tmp/err2"
check "import -v is --explain" 'cmp -s "$tmp/err" "$tmp/err2"'

# --- header overrides -------------------------------------------------------------
site basic
article 'headings = [12]' 'Intro sentence here.\nMarket Impact\nwhat we know so far\nBody text follows here.\n'
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "headings override builds" '[ $? -eq 0 ]'
check "headings override makes a heading" 'grep -q "<h2 id=\"p3\">" "$page" && grep -q "what we know so far" "$page"'
article 'not_headings = [11]' 'Intro sentence here.\nMarket Impact\nBody text follows here.\n'
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "not_headings override keeps a paragraph" '! grep -q "<h2 id=\"p2\"" "$page" && grep -q "<p id=\"p2\">Market Impact" "$page"'
article 'headings = [11, 30]' 'Intro sentence here.\nMarket Impact\nBody text follows here.\n'
"$bin" check -C "$tmp/site" -q 2>"$tmp/err"
check "stale overrides are warnings in check" '[ $? -eq 0 ]'
check "a redundant override is named at its position" \
	'grep -qx "content/articles/t.txt:7:13: warning: headings override no longer matches the text: line 11 is a heading without the override" "$tmp/err"'
check "an override past the end is named at its position" \
	'grep -qx "content/articles/t.txt:7:17: warning: headings override no longer matches the text: line 30 is not in the article text" "$tmp/err"'
"$bin" check -C "$tmp/site" -q --strict 2>"$tmp/err"
check "check --strict fails on a stale override" '[ $? -eq 1 ]'
article 'headings = ["x"]' 'Intro.\n'
"$bin" check -C "$tmp/site" -q 2>"$tmp/err"
check "an override that is no line number is an error" \
	'[ $? -eq 1 ] && grep -qx "content/articles/t.txt:7:13: error: headings: entries must be line numbers of the file" "$tmp/err"'

# --- control bytes (issue 11 finding 11) ---------------------------------------------
site basic
article '# none' 'Fine line.\nA\000B\nTail.\n'
"$bin" import "$a" >"$tmp/md" 2>"$tmp/err"
check "import exits 1 on a NUL byte" '[ $? -eq 1 ]'
check "import says why, at file:line:col" \
	'grep -qx "$a:11:2: error: control character U+0000 (NUL) in article text; remove it (it would be lost or misread)" "$tmp/err"'
"$bin" check -C "$tmp/site" -q 2>"$tmp/err"
check "check fails on a NUL byte, naming it" \
	'[ $? -eq 1 ] && grep -q "^content/articles/t.txt:11:2: error: control character U+0000 (NUL)" "$tmp/err"'
article '# none' 'Fine line.\nBad \377 byte.\n'
"$bin" import "$a" >"$tmp/md" 2>"$tmp/err"
check "import refuses invalid UTF-8, saying where" \
	'[ $? -eq 1 ] && grep -qx "$a:11:5: error: invalid UTF-8" "$tmp/err"'
article '# none' 'Fine line.\nEscape \033[31m here.\n'
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "build fails on an ESC byte" \
	'[ $? -eq 1 ] && grep -q "^content/articles/t.txt:11:8: error: control character U+001B (ESC)" "$tmp/err"'

# --- a lone CR is no line break ----------------------------------------------------
site basic
article '# none' 'One paragraph.\rThen # not a heading\r> not a quote\r| a | b |\r    not code\nSecond paragraph.\r\nThird.\r\n'
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "lone CR article builds" '[ $? -eq 0 ]'
check "lone CR opens no heading, quote, table or code" \
	'! grep -qE "<h[1-6] id=\"p|<blockquote|<table>|<pre" "$page"'
check "lone CR keeps the pN numbering" \
	'grep -q "<p id=\"p1\">One paragraph. Then # not a heading &gt; not a quote | a | b |     not code" "$page" &&
	 grep -q "<p id=\"p2\">Second paragraph." "$page" &&
	 grep -q "<p id=\"p3\">Third." "$page" && ! grep -q "id=\"p4\"" "$page"'

# --- URLs read back exactly (issue 11 finding 9) -------------------------------------
for mode in false true; do
	site basic
	printf '\n[markdown]\nunsafe = %s\n' "$mode" >>"$tmp/site/site.toml"
	article '# none' 'See https://x.<img src=x onerror=alert(1)> here.\nWiki https://en.wikipedia.org/wiki/DeepSeek_(company) and https://a.example/x_y*z~w end.\nLast paragraph stays.\n'
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	check "URL article builds (unsafe = $mode)" '[ $? -eq 0 ]'
	check "text after a URL is no HTML (unsafe = $mode)" \
		'! grep -q "<img" "$page" && grep -q "<a href=\"https://x\">https://x</a>.&lt;img src=x onerror=alert(1)&gt; here." "$page"'
	check "no backslash or %5C in URLs (unsafe = $mode)" '! grep -qE "href=\"[^\"]*(%5C|\\\\)" "$page"'
	check "URL characters kept (unsafe = $mode)" \
		'grep -q "href=\"https://en.wikipedia.org/wiki/DeepSeek_(company)\">https://en.wikipedia.org/wiki/DeepSeek_(company)</a>" "$page" &&
		 grep -q ">https://a.example/x_y\*z~w</a>" "$page"'
	check "the rest of the article survives (unsafe = $mode)" 'grep -q "<p id=\"p3\">Last paragraph stays." "$page"'
done

# --- every list item at every depth is a block (issue 14) ----------------------------
site basic
article '# none' 'Intro sentence here.\n- Markets fell:\n  - Nasdaq fell 3%%.\n  - Nikkei fell 1%%.\n- Bonds rose.\n'
printf '+++\ntitle = "Nest"\n+++\nThe Nikkei [](../articles/t.txt#p4).\n' >"$tmp/site/content/topics/nest.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "nested-list article builds and is cited" '[ $? -eq 0 ]'
check "nested items get their own pN" \
	'grep -A1 "<li id=\"p3\">" "$page" | grep -q "Nasdaq fell 3%" &&
	 grep -A1 "<li id=\"p4\">" "$page" | grep -q "Nikkei fell 1%" &&
	 grep -A1 "<li id=\"p5\">" "$page" | grep -q "Bonds rose."'
check "a nested item is a citation target" \
	'grep -A1 "<li id=\"p4\">" "$page" | grep -q "cited-by" &&
	 grep -q "href=\"../articles/t.html#p4\"" "$tmp/site/public/topics/nest.html"'
check "the parent item keeps its paragraph link in its own text" \
	'grep -A1 "<li id=\"p2\">" "$page" | grep -q "Markets fell:.*href=\"#p2\""'

finish import
