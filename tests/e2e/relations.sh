#!/bin/sh
# End-to-end tests of source relations, shared wording, independent sources
# in claims and verified quotations (issue 16), on tests/fixtures/relations:
# the clean fixture builds and shows them; planted errors (bad evidence, a
# status the data does not support, misquotations) give exact diagnostics.
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
bin="$top/build/dossier"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $1"; sed 's/^/    /' "$tmp/err" | head -30; }
check() { if eval "$2"; then ok; else ko "$1"; fi; }
has() { grep -qxF -- "$1" "$tmp/err"; }

site() {
	rm -rf "$tmp/site"
	cp -R tests/fixtures/relations "$tmp/site"
	cp -R themes "$tmp/site/themes"
}
run_check() { "$bin" check -C "$tmp/site" "$@" 2>"$tmp/err"; st=$?; }

# --- the clean fixture ------------------------------------------------------------
site
run_check
check "clean: exit 0" '[ $st -eq 0 ]'
check "clean: summary" 'has "dossier check: 0 errors, 0 warnings (11 pages)"'
run_check -v
check "check -v lists shared wording" 'has "content/articles/original.txt:9:1: note: wording shared with content/articles/rewrite.txt ¶1 (11 words, ¶1 here): “Acme Labs released an open source large reasoning model on Monday”"'
check "check -v: quoted words are not shared wording" '! grep -q "less than a week" "$tmp/err"'
check "check -v: one note per passage" '[ "$(grep -c "note: wording shared" "$tmp/err")" -eq 2 ]'

"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "clean: builds" '[ $? -eq 0 ]'
out="$tmp/site/public"
check "the rewrite shows what it follows, with linked evidence" 'grep -qF "<li class=\"relation relation-follows\"><span class=\"relation-kind\">Follows</span> <a href=\"original.html\">Original</a>: <span class=\"relation-evidence\"><span class=\"pair\"><a href=\"#p1\">¶1</a> ↔ <a href=\"original.html#p1\">Original ¶1</a></span><span class=\"pair\"><a href=\"#p2\">¶2</a> ↔ <a href=\"original.html#p2\">Original ¶2</a></span></span></li>" "$out/articles/rewrite.html"'
check "the original shows who follows and cites it" 'grep -qF "<span class=\"relation-kind\">Followed by</span> <a href=\"rewrite.html\">Rewrite</a>" "$out/articles/original.html" && grep -qF "<span class=\"relation-kind\">Cited by</span> <a href=\"independent.html\">Independent</a>: <span class=\"relation-evidence\"><span class=\"pair\"><a href=\"#p3\">¶3</a> ↔ <a href=\"independent.html#p2\">Independent ¶2</a></span>" "$out/articles/original.html"'
check "shared wording on both pages, paragraph to paragraph" 'grep -qF "<li><a href=\"#p1\">¶1</a> ↔ <a href=\"rewrite.html#p1\">Rewrite ¶1</a>: <q>Acme Labs released an open source large reasoning model on Monday</q></li>" "$out/articles/original.html" && grep -qF "<li><a href=\"#p1\">¶1</a> ↔ <a href=\"original.html#p1\">Original ¶1</a>: <q>Acme Labs released an open source large reasoning model on Monday</q></li>" "$out/articles/rewrite.html"'
check "no shared wording where there is none" '! grep -q "shared-wording" "$out/articles/independent.html"'
check "claims page: dependent sources count once, with the relation" 'grep -qF "<p class=\"claim-independence\">2 sources, 1 independent: <span class=\"dependence\"><a href=\"articles/rewrite.html\">Rewrite</a> follows <a href=\"articles/original.html\">Original</a></span></p>" "$out/claims.html"'
check "claims page: independent sources" 'grep -qF "<p class=\"claim-independence\">2 sources, 2 independent</p>" "$out/claims.html"'
check "topic table: the disagreeing source is marked" 'grep -qF "<li class=\"disagrees\"><a href=\"../articles/independent.html#p1\">Independent ¶1</a> <q>it cost a lot</q> <span class=\"disagrees-flag\">(disagrees)</span></li>" "$out/topics/claims.html" && grep -qF "2 sources, 2 independent (1 disagrees)" "$out/topics/claims.html"'
check "topic table: contradicting claims link each other" 'grep -qF "Contradicts <a class=\"contradicts\" href=\"#cheap-figure-believed\">" "$out/topics/claims.html" && grep -qF "Contradicts <a class=\"contradicts\" href=\"#figure-doubted\">" "$out/topics/claims.html"'
cp -R "$out" "$tmp/first"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "two builds are byte-identical" 'diff -r "$tmp/first" "$out" >/dev/null'

# --- evidence validated like citations ----------------------------------------------
site
c="$tmp/site/content"
sed -i 's|\["#p2", "original.txt#p2"\]|["#p9", "independent.txt#p2"]|' "$c/articles/rewrite.txt"
sed -i 's|^article = "original.txt"$|article = "../topics/claims.md"|' "$c/articles/independent.txt"
run_check
check "bad evidence: exit 1" '[ $st -eq 1 ]'
check "evidence citing a paragraph this article lacks" 'has "content/articles/rewrite.txt:12:42: error: citation '"'"'#p9'"'"': content/articles/rewrite.txt has 2 paragraphs, no paragraph 9"'
check "evidence citing the wrong article" 'has "content/articles/rewrite.txt:12:49: error: relation evidence '"'"'independent.txt#p2'"'"' must cite a paragraph of content/articles/original.txt (…#pN)"'
check "a relation to a page that is no article" 'has "content/articles/independent.txt:10:11: error: relation article '"'"'../topics/claims.md'"'"' must be another article (<slug>.txt, no #fragment)"'

# --- quotations the build verifies -------------------------------------------------
site
c="$tmp/site/content"
sed -i "s|“the company’s own figure”|“the company's own figure”|; s|calls it “a fraction of the usual cost”|calls it “a fraction of the cost”|" "$c/topics/claims.md"
sed -i 's|"at a fraction of the usual cost"|"at a tiny fraction of the cost"|' "$c/articles/independent.txt"
printf '+++\ntitle = "Notes"\n+++\nIt says "analysts doubted the company’s own figure" [](articles/original.txt#p3).\nHe wrote “nothing like this”. See [](articles/original.txt#p3) and [the home page](_index.md).\n' > "$c/notes.md"
printf '\nSee also the [notes](notes.md).\n' >> "$c/_index.md"
run_check
check "misquotes: exit 1" '[ $st -eq 1 ]'
check "a quotation that is not in the cited paragraph, with the nearest text" 'has "content/topics/claims.md:70:23: error: quotation “a fraction of the cost” is not in content/articles/original.txt ¶1; nearest text: “a fraction of the usual”"'
check "a straight apostrophe for a curly one" 'has "content/topics/claims.md:71:1: error: quotation “the company'"'"'s own figure” is written differently in content/articles/original.txt ¶3 (case, quotes or apostrophes); the text there: “the company’s own figure.”"'
check "case is preserved, on a plain page" 'has "content/notes.md:4:9: error: quotation “analysts doubted the company’s own figure” is written differently in content/articles/original.txt ¶3 (case, quotes or apostrophes); the text there: “Analysts doubted the company’s own figure.”"'
check "annotation notes are checked, at the note's own line" 'has "content/articles/independent.txt:17:33: error: quotation “at a tiny fraction of the cost” is not in content/articles/original.txt ¶1; nearest text: “at a fraction of the usual cost.”"'
check "a quotation in an earlier sentence is not bound" '! grep -q "nothing like this" "$tmp/err"'
check "misquotes: nothing else" '[ "$(grep -c error: "$tmp/err")" -eq 4 ]'

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
