#!/bin/sh
# End-to-end tests of source relations, shared wording, independent sources
# in claims and verified quotations (issue 16), on tests/fixtures/relations:
# the clean fixture builds and shows them; planted errors (bad evidence, a
# status the data does not support, misquotations) give exact diagnostics.
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." && err_lines=30 . tests/e2e/lib.sh
has() { grep -qxF -- "$1" "$tmp/err"; }
run_check() { "$bin" check -C "$tmp/site" "$@" >"$tmp/out" 2>"$tmp/err"; st=$?; }

# --- the clean fixture ------------------------------------------------------------
site relations
run_check
check "clean: exit 0" '[ $st -eq 0 ]'
check "clean: summary" 'grep -qxF "dossier check: 0 errors, 0 warnings (12 pages)" "$tmp/out"'
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
check "home page: the sources grouped by follows, with the count" 'grep -qF "<p>3 articles, <strong>2 independent sources</strong>:" "$out/index.html" && grep -qF "<li><a class=\"source-group-member\" href=\"articles/original.html\">Original</a><a class=\"source-group-member\" href=\"articles/rewrite.html\">Rewrite</a> <span class=\"source-group-relations\">(<span class=\"dependence\">Rewrite follows Original</span>)</span></li>" "$out/index.html"'
cp -R "$out" "$tmp/first"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "two builds are byte-identical" 'diff -r "$tmp/first" "$out" >/dev/null'

site relations
sed -i 's/^theme = "dossier"$/theme = "plain"/' "$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "plain theme: relations with evidence" 'grep -qF "<li>Follows <a href=\"original.html\">Original</a> · <a href=\"#p1\">¶1</a> ↔ <a href=\"original.html#p1\">Original ¶1</a>" "$tmp/site/public/articles/rewrite.html"'
check "plain theme: independent sources in the claims table" 'grep -qF "<p class=\"small\">2 sources, 1 independent; Rewrite follows Original</p>" "$tmp/site/public/topics/claims.html"'

# --- evidence validated like citations ----------------------------------------------
site relations
c="$tmp/site/content"
sed -i 's|\["#p2", "original.txt#p2"\]|["#p9", "independent.txt#p2"]|' "$c/articles/rewrite.txt"
sed -i 's|^article = "original.txt"$|article = "../topics/claims.md"|' "$c/articles/independent.txt"
run_check
check "bad evidence: exit 1" '[ $st -eq 1 ]'
check "evidence citing a paragraph this article lacks" 'has "content/articles/rewrite.txt:12:42: error: citation '"'"'#p9'"'"': content/articles/rewrite.txt has 2 paragraphs, no paragraph 9"'
check "evidence citing the wrong article" 'has "content/articles/rewrite.txt:12:49: error: relation evidence '"'"'independent.txt#p2'"'"' must cite a paragraph of content/articles/original.txt (…#pN)"'
check "a relation to a page that is no article" 'has "content/articles/independent.txt:10:11: error: relation article '"'"'../topics/claims.md'"'"' must be another article (<slug>.txt, no #fragment)"'

site relations
sed -i 's|^kind = "follows"$|kind = "folows"|' "$tmp/site/content/articles/rewrite.txt"
run_check
check "unknown relation kind, with a suggestion" 'has "content/articles/rewrite.txt:11:8: error: relation kind must be follows, shares-wording or cites, not '"'"'folows'"'"' (did you mean '"'"'follows'"'"'?)"'
check "without the follows relation, two sources are two" 'has "content/topics/claims.md:20:10: error: claim '"'"'trained-quickly'"'"' is '"'"'reported'"'"', but it has 2 independent sources; '"'"'reported'"'"' means exactly one"'

# --- statuses the data does not support ---------------------------------------------
site relations
c="$tmp/site/content"
sed -i '0,/^cite = "..\/articles\/independent.txt#p1"$/s||cite = "../articles/rewrite.txt#p1"|; s|^wording = "Acme Labs has a new reasoning model"$|wording = "Acme Labs released an open source large reasoning model"|; s|^disagrees = true$||; s|^contradicts = \["cheap-figure-believed"\]$|contradicts = ["no-such-claim"]|' "$c/topics/claims.md"
run_check
check "wrong statuses: exit 1" '[ $st -eq 1 ]'
check "consistent with one independent source" 'has "content/topics/claims.md:8:10: error: claim '"'"'released'"'"' is '"'"'consistent'"'"', but it has 1 independent source (Rewrite follows Original); '"'"'consistent'"'"' needs at least 2 agreeing"'
check "disputed with no disagreement" 'has "content/topics/claims.md:32:10: error: claim '"'"'cheap'"'"' is '"'"'disputed'"'"', but no source is marked disagrees = true and it contradicts no claim"'
check "contradicts names no claim" 'has "content/topics/claims.md:47:16: error: claim '"'"'figure-doubted'"'"' contradicts '"'"'no-such-claim'"'"': no such claim on this page"'
site relations
sed -i 's|^status = "disputed"$|status = "consistent"|' "$tmp/site/content/topics/claims.md"
run_check
check "a disagreeing source makes a claim disputed" 'has "content/topics/claims.md:32:10: error: claim '"'"'cheap'"'"' is '"'"'consistent'"'"', but a source is marked disagrees = true: its status must be '"'"'disputed'"'"'"'
check "a contradicted claim is disputed" 'has "content/topics/claims.md:55:10: error: claim '"'"'cheap-figure-believed'"'"' is '"'"'consistent'"'"', but it contradicts claim '"'"'figure-doubted'"'"': its status must be '"'"'disputed'"'"'"'

site relations
cat > "$tmp/site/content/topics/other.md" <<'MD'
+++
title = "Other"

[[claims]]
id = "not-released"
claim = "Nothing was released."
status = "disputed"
contradicts = ["claims.md#released"]
[[claims.sources]]
cite = "../articles/independent.txt#p2"
wording = "analysts doubted the figure"
+++
See the [claims](claims.md).
MD
printf '\nSee also [the other topic](topics/other.md).\n' >> "$tmp/site/content/_index.md"
run_check
check "contradicts across pages: the other claim must be disputed" 'has "content/topics/claims.md:8:10: error: claim '"'"'released'"'"' is '"'"'consistent'"'"', but it contradicts claim '"'"'not-released'"'"': its status must be '"'"'disputed'"'"'"'
check "contradicts across pages: nothing else" '[ "$(grep -c error: "$tmp/err")" -eq 1 ]'

site relations
printf '\n## Released\n\nA heading whose id is a claim id.\n' >> "$tmp/site/content/topics/claims.md"
run_check
check "a claim id that is a heading id too" 'has "content/topics/claims.md:5:1: error: claim id '"'"'released'"'"' is also the id of the heading on line 73; ids must be unique on a page"'

# --- quotations the build verifies -------------------------------------------------
site relations
c="$tmp/site/content"
sed -i "s|“the company’s own figure”|“the company's own figure”|; s|calls it “a fraction of the usual cost”|calls it “a fraction of the cost”|" "$c/topics/claims.md"
sed -i 's|"at a fraction of the usual cost"|"at a tiny fraction of the cost"|' "$c/articles/independent.txt"
printf '+++\ntitle = "Notes"\n+++\nIt says "analysts doubted the company’s own figure" [](articles/original.txt#p3).\nHe wrote “nothing like this”. See [](articles/original.txt#p3) and [the home page](_index.md).\n\nA second look, on a second line:\nit calls the figure “a fraction of the cost” [](articles/original.txt#p1).\n' > "$c/notes.md"
printf '\nSee also the [notes](notes.md).\n' >> "$c/_index.md"
run_check
check "misquotes: exit 1" '[ $st -eq 1 ]'
check "a quotation that is not in the cited paragraph, with the nearest text" 'has "content/topics/claims.md:70:23: error: quotation “a fraction of the cost” is not in content/articles/original.txt ¶1; nearest text: “a fraction of the usual”"'
check "a straight apostrophe for a curly one" 'has "content/topics/claims.md:71:1: error: quotation “the company'"'"'s own figure” is written differently in content/articles/original.txt ¶3 (case, quotes or apostrophes); the text there: “the company’s own figure.”"'
check "case is preserved, on a plain page" 'has "content/notes.md:4:9: error: quotation “analysts doubted the company’s own figure” is written differently in content/articles/original.txt ¶3 (case, quotes or apostrophes); the text there: “Analysts doubted the company’s own figure.”"'
check "annotation notes are checked, at the note's own line" 'has "content/articles/independent.txt:17:33: error: quotation “at a tiny fraction of the cost” is not in content/articles/original.txt ¶1; nearest text: “at a fraction of the usual cost.”"'
check "a quotation in an earlier sentence is not bound" '! grep -q "nothing like this" "$tmp/err"'
check "a quotation on a paragraph's second line, at its own line and column" 'has "content/notes.md:8:21: error: quotation “a fraction of the cost” is not in content/articles/original.txt ¶1; nearest text: “a fraction of the usual”"'
check "misquotes: nothing else" '[ "$(grep -c error: "$tmp/err")" -eq 5 ]'

# --- a stock phrase many articles share: -v lists its first pairs, then a count ------------
site relations
for n in 1 2 3 4 5; do
	printf '+++\ntitle = "Wire %s"\ntitle_source = "editor"\nshort = "Wire %s"\npublisher = "unknown"\npublished = "unknown"\nurl = "unknown"\n+++\nItem %s of the wire.\n\nShares of Zorblat rose sharply after the quarterly results were published.\n' $n $n $n > "$tmp/site/content/articles/wire$n.txt"
done
stock="Shares of Zorblat rose sharply after the quarterly results were published"
run_check -v
check "-v: a wording ten pairs share: three notes" '[ "$(grep -c "note: wording shared with .*“$stock”" "$tmp/err")" -eq 3 ]'
check "-v: then how many more, once" 'has "content/articles/wire1.txt:11:1: note: the same wording is shared by 7 more pairs of articles (-v -v lists them): “$stock”" && [ "$(grep -c "the same wording" "$tmp/err")" -eq 1 ]'
check "-v: the first notes are the first pairs" 'has "content/articles/wire1.txt:11:1: note: wording shared with content/articles/wire2.txt ¶2 (11 words, ¶2 here): “$stock”"'
check "-v: other shared wording is listed as before" '[ "$(grep -c "note: wording shared with .*Acme Labs" "$tmp/err")" -eq 1 ]'
run_check -v -v
check "-v -v: every pair" '[ "$(grep -c "note: wording shared with .*“$stock”" "$tmp/err")" -eq 10 ] && ! grep -q "the same wording" "$tmp/err"'

finish
