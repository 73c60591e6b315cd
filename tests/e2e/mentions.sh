#!/bin/sh
# End-to-end tests of entity mention lists (issue 13): a list longer than
# ENTITY_PAGE_SIZE (1000) mentioning pages is split into files
# entities/x.html, entities/x/page-2.html, ... linked both ways, listed in
# the sitemap, in both themes. Up to ENTITY_SNIPPET_PAGES (50) mentioning
# pages, each shows up to 3 snippets; beyond, the ENTITY_TOP_PAGES (5) that
# mention the entity most come first with their snippets and the others
# are compact rows (link, count when above 1). A page, file or redirect at
# one of those paths is an error. Prints "N passed, N failed"; exit 1 on
# failure.
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh

# 2,050 notes mention Acme: Note 1 five times, in five paragraphs, with
# Bolt beside it in two of them; Notes 2-7 twice; the others once. Every
# hundredth note mentions Bolt too (21 pages: each with its snippets).
make_site() {
	rm -rf "$tmp/site"
	mkdir -p "$tmp/site/content/entities" "$tmp/site/content/notes"
	cp -R themes "$tmp/site/themes"
	cat >"$tmp/site/site.toml" <<TOML
title = "Mentions"
base_url = "https://example.org/m/"
theme = "${1:-dossier}"
TOML
	printf '+++\ntitle = "Home"\n+++\nNotes about companies.\n' >"$tmp/site/content/_index.md"
	printf '+++\ntitle = "Acme"\nkind = "organization"\n+++\nA maker of anvils.\n' \
		>"$tmp/site/content/entities/acme.md"
	printf '+++\ntitle = "Bolt"\nkind = "organization"\n+++\nA maker of bolts.\n' \
		>"$tmp/site/content/entities/bolt.md"
	printf '+++\ntitle = "Note 1"\n+++\n' >"$tmp/site/content/notes/n0001.md"
	for k in 1 2 3 4 5; do
		if [ "$k" -le 2 ]; then b=" with Bolt"; else b=""; fi
		printf 'Paragraph %s says Acme sold anvils%s.\n\n' "$k" "$b" >>"$tmp/site/content/notes/n0001.md"
	done
	i=2
	while [ $i -le 2050 ]; do
		n=$(printf '%04d' $i)
		if [ $((i % 100)) = 0 ]; then b=" and Bolt"; else b=""; fi
		if [ $i -le 7 ]; then a=" (Acme again)"; else a=""; fi
		printf '+++\ntitle = "Note %s"\n+++\nOn day %s Acme%s%s shipped.\n' "$i" "$i" "$b" "$a" \
			>"$tmp/site/content/notes/n$n.md"
		i=$((i + 1))
	done
}

count() { grep -o "$1" "$2" | wc -l | tr -d ' '; }
# Compact rows: a link with no class, to a note.
rows() { grep -c '^<li><a href="[./]*notes/n[0-9]*\.html">' "$1"; }

make_site
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "the site builds" '[ $? -eq 0 ]'
o=$tmp/site/public
check "2050 mentioning pages make 3 files" \
	'[ -f "$o/entities/acme.html" ] && [ -f "$o/entities/acme/page-2.html" ] && [ -f "$o/entities/acme/page-3.html" ] && [ ! -e "$o/entities/acme/page-4.html" ]'
check "an entity with few mentions has one file" '[ ! -e "$o/entities/bolt" ]'
sed -n '/>Most mentions</,/<h3 class="mention-section">notes/p' "$o/entities/acme.html" >"$tmp/top"
check "file 1 opens with the 5 pages that mention it most, most first, with snippets" \
	'[ "$(count "class=\"mention-page\"" "$o/entities/acme.html")" = 5 ] && [ "$(count "class=\"mention-page\"" "$tmp/top")" = 5 ] && [ "$(grep -o "notes/n000[1-7]\.html\">Note [0-9]" "$tmp/top" | uniq | tr -d "\n")" = "notes/n0001.html\">Note 1notes/n0002.html\">Note 2notes/n0003.html\">Note 3notes/n0004.html\">Note 4notes/n0005.html\">Note 5" ]'
check "then compact rows, the count when above 1, up to entry 1000" \
	'[ "$(rows "$o/entities/acme.html")" = 995 ] && grep -q "^<li><a href=\"../notes/n0006.html\">Note 6</a> <span class=\"count\">2 mentions</span>$" "$o/entities/acme.html" && grep -q "^<li><a href=\"../notes/n0008.html\">Note 8</a>$" "$o/entities/acme.html" && grep -q "href=\"../notes/n1000.html\"" "$o/entities/acme.html" && ! grep -q "n1001.html" "$o/entities/acme.html" && [ "$(grep -c "notes/n0002.html" "$o/entities/acme.html")" -ge 1 ] && ! grep -q "^<li><a href=\"../notes/n000[1-5].html\"" "$o/entities/acme.html"'
check "file 2 lists 1001-2000 as compact rows, one folder deeper" \
	'[ "$(rows "$o/entities/acme/page-2.html")" = 1000 ] && [ "$(count "class=\"snippet\"" "$o/entities/acme/page-2.html")" = 0 ] && grep -q "href=\"../../notes/n1001.html\"" "$o/entities/acme/page-2.html" && grep -q "href=\"../../notes/n2000.html\"" "$o/entities/acme/page-2.html"'
check "the last file lists 2001-2050" \
	'[ "$(rows "$o/entities/acme/page-3.html")" = 50 ] && grep -q "n2001.html" "$o/entities/acme/page-3.html" && grep -q "n2050.html" "$o/entities/acme/page-3.html" && ! grep -q "n2000.html" "$o/entities/acme/page-3.html"'
check "the count line: mentions, pages, range" \
	'grep -q "2060 mentions on 2050 pages, showing 1–1000\." "$o/entities/acme.html" && grep -q "showing 1001–2000\." "$o/entities/acme/page-2.html" && grep -q "2060 mentions on 2050 pages, showing 2001–2050\." "$o/entities/acme/page-3.html"'
check "file 1 links to file 2 only" \
	'grep -q "rel=\"next\" href=\"acme/page-2.html\"" "$o/entities/acme.html" && ! grep -q "class=\"pager-prev\" rel=\"prev\" href=\"acme" "$o/entities/acme.html"'
check "file 2 links back to file 1 and on to file 3" \
	'grep -q "rel=\"prev\" href=\"../acme.html\"" "$o/entities/acme/page-2.html" && grep -q "rel=\"next\" href=\"page-3.html\"" "$o/entities/acme/page-2.html"'
check "the last file links back, not on" \
	'grep -q "rel=\"prev\" href=\"page-2.html\"" "$o/entities/acme/page-3.html" && ! grep -q "rel=\"next\" href=\"page-" "$o/entities/acme/page-3.html"'
check "later files point at the entity page and the site root" \
	'grep -q "<a href=\"../acme.html\">Acme</a>" "$o/entities/acme/page-3.html" && grep -q "href=\"../../style.css\"" "$o/entities/acme/page-3.html"'
check "later files are titled by the range they show" \
	'grep -q "<title>Acme: mentions 1001–2000 · Mentions</title>" "$o/entities/acme/page-2.html" && grep -q "<h1 id=\"ds-title\">Acme: mentions 2001–2050</h1>" "$o/entities/acme/page-3.html" && grep -q "<title>Acme · Mentions</title>" "$o/entities/acme.html"'
check "later files show the list alone: no description body, data or history" \
	'! grep -q "A maker of anvils" "$o/entities/acme/page-2.html" && ! grep -q "ld+json" "$o/entities/acme/page-2.html" && ! grep -q "ds-history-title" "$o/entities/acme/page-2.html" && ! grep -q ">Most mentions<" "$o/entities/acme/page-2.html" && grep -q "A maker of anvils" "$o/entities/acme.html"'
check "related entities on file 1 only" \
	'grep -q "ds-related-title" "$o/entities/acme.html" && grep -q "href=\"bolt.html\">Bolt<" "$o/entities/acme.html" && ! grep -q "ds-related-title" "$o/entities/acme/page-2.html"'
check "the sitemap lists every file" \
	'grep -q "<loc>https://example.org/m/entities/acme.html</loc>" "$o/sitemap.xml" && grep -q "<loc>https://example.org/m/entities/acme/page-2.html</loc>" "$o/sitemap.xml" && grep -q "<loc>https://example.org/m/entities/acme/page-3.html</loc>" "$o/sitemap.xml" && ! grep -q "acme/page-4" "$o/sitemap.xml"'
check "canonical link of a later file is its own" \
	'grep -q "rel=\"canonical\" href=\"https://example.org/m/entities/acme/page-2.html\"" "$o/entities/acme/page-2.html"'
# Every mentioning page is listed once over the three files.
cat "$o/entities/acme.html" "$o/entities/acme/page-2.html" "$o/entities/acme/page-3.html" |
	grep -o '^<li><a [^>]*href="[./]*notes/n[0-9]*\.html"' | sed 's/.*notes\///' | sort >"$tmp/listed"
check "every mentioning page is listed once" \
	'[ "$(wc -l <"$tmp/listed" | tr -d " ")" = 2050 ] && [ "$(uniq "$tmp/listed" | wc -l | tr -d " ")" = 2050 ]'

# The snippet cap: Note 1 mentions Acme five times, three snippets show.
sed -n '/href="..\/notes\/n0001.html">Note 1</,/<\/ul>/p' "$o/entities/acme.html" >"$tmp/n0001"
check "at most 3 snippets per mentioning page" '[ "$(count "class=\"snippet\"" "$tmp/n0001")" = 3 ]'
check "the first three, in order" \
	'grep -q "Paragraph 1 says <mark>Acme</mark>" "$tmp/n0001" && grep -q "Paragraph 3 says" "$tmp/n0001" && ! grep -q "Paragraph 4 says" "$tmp/n0001"'
check "and 2 more in this page, linking to it" \
	'grep -q "<a href=\"../notes/n0001.html\">and 2 more in this page" "$tmp/n0001" && grep -q "<span class=\"count\">5<" "$tmp/n0001"'
# Bolt: 21 mentioning pages, every one with its snippet, by section.
check "a short list: every page with its snippets, in page order" \
	'[ "$(count "class=\"mention-page\"" "$o/entities/bolt.html")" = 21 ] && [ "$(count "class=\"snippet\"" "$o/entities/bolt.html")" = 22 ] && ! grep -q ">Most mentions<" "$o/entities/bolt.html" && [ "$(rows "$o/entities/bolt.html")" = 0 ] && [ "$(grep -o "notes/n[0-9]*\.html\">Note" "$o/entities/bolt.html" | head -2 | tr -d "\n")" = "notes/n0001.html\">Notenotes/n0100.html\">Note" ]'
check "a page with one mention: one snippet, no more-line" \
	'sed -n "/n0100.html\">Note 100</,/<\/ul>/p" "$o/entities/bolt.html" | grep -c "class=\"snippet\"" | grep -qx 1 && ! sed -n "/n0100.html\">Note 100</,/<\/ul>/p" "$o/entities/bolt.html" | grep -q "more in this page"'
# Related entities count shared top-level blocks: 2 in Note 1, and 20
# notes (every hundredth) with Bolt in Acme's paragraph.
check "related entities count shared blocks" \
	'grep -q "Also called\|ds-related-title" "$o/entities/bolt.html" && grep -q "href=\"acme.html\">Acme<" "$o/entities/bolt.html"'
"$bin" build -C "$tmp/site" -o "$tmp/again" -q 2>"$tmp/err"
check "same tree, same bytes" 'diff -r "$o" "$tmp/again" >/dev/null'
"$bin" build -C "$tmp/site" -o "$tmp/j1" -j 1 -q 2>"$tmp/err"
check "-j 1 gives the same bytes" 'diff -r "$o" "$tmp/j1" >/dev/null'

# Every local href of the mention files opens a file.
bad=0
for f in "$o/entities/acme.html" "$o/entities/acme/page-2.html" "$o/entities/acme/page-3.html"; do
	d=$(dirname "$f")
	for h in $(grep -o 'href="[^"]*"' "$f" | grep -v ':' | sed 's/href="//; s/[#"].*//' | sort -u); do
		[ -n "$h" ] && [ ! -e "$d/$h" ] && { echo "missing $h from $f" >>"$tmp/err"; bad=1; }
	done
done
check "every link of the mention files resolves" '[ $bad = 0 ]'

# --- the plain theme ------------------------------------------------------
make_site plain
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "plain: builds" '[ $? -eq 0 ]'
check "plain: 3 files with prev/next and the count line" \
	'[ -f "$o/entities/acme/page-3.html" ] && grep -q "rel=\"next\" href=\"page-3.html\"" "$o/entities/acme/page-2.html" && grep -q "rel=\"prev\" href=\"../acme.html\"" "$o/entities/acme/page-2.html" && grep -q "2060 mentions on 2050 pages, showing 2001–2050\." "$o/entities/acme/page-3.html"'
check "plain: the top with the snippet cap, then compact rows" \
	'grep -q "<h3>Most mentions</h3>" "$o/entities/acme.html" && grep -q "and 2 more in this page" "$o/entities/acme.html" && grep -q "^<li><a href=\"../notes/n0006.html\">Note 6</a> (2)$" "$o/entities/acme.html" && [ "$(rows "$o/entities/acme/page-2.html")" = 1000 ]'
check "plain: a short list with snippets" '[ "$(count "In context" "$o/entities/bolt.html")" = 22 ]'
check "plain: its templates name search_index_url, so search-index.js is written" \
	'head -c 22 "$o/search-index.js" | grep -q "window.DOSSIER_INDEX"'

# --- collisions -----------------------------------------------------------
make_site
mkdir -p "$tmp/site/content/entities/acme"
echo data >"$tmp/site/content/entities/acme/page-3.html"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "safe mode: an HTML file of content/ at a mention file's path is not published" \
	'[ $? -eq 0 ] && grep -q "^content/entities/acme/page-3.html: warning: not published: a .html file could hold markup or script" "$tmp/err" &&
	 grep -q "2060 mentions on 2050 pages" "$tmp/site/public/entities/acme/page-3.html"'
printf '[markdown]\nunsafe = true\n' >>"$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "unsafe mode: a content file at a mention file's path is an error" \
	'[ $? -eq 1 ] && grep -q "^content/entities/acme/page-3.html:1:1: error: this file is published as .entities/acme/page-3.html., which is page 3 of the mentions of entity .Acme. (content/entities/acme.md)" "$tmp/err"'
"$bin" check -C "$tmp/site" -q >/dev/null 2>"$tmp/err"
check "dossier check reports it too" '[ $? -eq 1 ] && grep -q "page 3 of the mentions of entity" "$tmp/err"'
make_site
printf '+++\ntitle = "Moved"\nredirect_from = ["entities/acme/page-2.html"]\n+++\nText.\n' >"$tmp/site/content/moved.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "a redirect at a mention file's path is an error" \
	'[ $? -eq 1 ] && grep -q "content/moved.md:3:.*error: redirect_from .entities/acme/page-2.html. must be a relative path inside the site that no page uses" "$tmp/err"'
make_site
mkdir -p "$tmp/site/content/acme"
printf '+++\ntitle = "Page two"\n+++\nText.\n' >"$tmp/site/content/acme/page-2.md"
sed -i 's/^title = "Acme"/title = "Acme"\nslug = "x"/' "$tmp/site/content/entities/acme.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "a path that is not a mention file is no error" '[ $? -eq 0 ] && [ -f "$tmp/site/public/entities/x/page-2.html" ]'

finish mentions
