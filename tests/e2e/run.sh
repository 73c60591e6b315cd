#!/bin/sh
# End-to-end tests: build fixture sites with $DOSSIER (build/dossier) and check the
# output and the diagnostics. Prints "N passed, N failed"; exit 1 on failure.
set -u
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh

# --- a good build -------------------------------------------------------
site basic
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "basic builds with status 0" '[ $? -eq 0 ]'
out="$tmp/site/public"
check "home page written" '[ -f "$out/index.html" ]'
check "article paragraphs carry ids" 'grep -q "id=\"p1\"" "$out/articles/example-source.html" && grep -q "id=\"p6\"" "$out/articles/example-source.html"'
check "boilerplate dropped" '! grep -q "Subscribe to our newsletter" "$out/articles/example-source.html"'
check "annotation rendered as mark" 'grep -q "<mark class=\"annotation\" id=\"a1\"" "$out/articles/example-source.html"'
check "annotation note rendered" 'grep -q "class=\"annotation-note\" id=\"a1-note\"" "$out/articles/example-source.html"'
check "cited-by trail on cited paragraph" 'grep -q "class=\"cited-by\"" "$out/articles/example-source.html"'
check "paragraphs.js: the text of a cited paragraph, null for one nothing links" 'grep -q "\"p\":\[\"Acme Labs launched a model this week; Acme called it small.\",null,\"The company said" "$out/articles/example-source.paragraphs.js"'
check "citation rewritten to the article page" 'grep -q "href=\"../articles/example-source.html#p3\"" "$out/topics/costs.html"'
check "empty citation text filled" 'grep -q "Example ¶3" "$out/topics/costs.html"'
check "entity mention linked" 'grep -q "class=\"entity\" href=\"../entities/meta.html\"" "$out/topics/costs.html"'
check "entity page lists mentions" 'grep -q "costs.html" "$out/entities/meta.html"'
check "heading ids and self-links" 'grep -q "<h2 id=\"the-figure\"><a class=\"anchor\" href=\"#the-figure\"" "$out/topics/costs.html"'
check "generated pages" '[ -f "$out/claims.html" ] && [ -f "$out/changes.html" ] && [ -f "$out/search.html" ] && [ -f "$out/404.html" ] && [ -f "$out/entities/index.html" ] && [ -f "$out/articles/index.html" ]'
check "no whole-index script for a theme whose templates do not name it" '[ ! -e "$out/search-index.js" ] && [ -f "$out/search/index.js" ]'
check "the search index covers annotation notes ('meant' is only in a note)" 'grep -q "^\"meant\":" "$out"/search/t-6d.js && grep -q "^\"meant\":" "$out"/search/p-6d.js'
check "entities.js holds the entities for preview cards" 'grep -q "^window.DOSSIER_ENTITIES = {\"acme-labs\":{\"t\":\"Acme Labs\"" "$out/entities.js"'
check "output folder carries the mark" '[ -f "$out/.dossier-output" ]'
check "no absolute or external references" '! grep -rhoE "(href|src)=\"(/|https?:)[^\"]*\"" "$out" --include=*.html | grep -v "sitemaps.org" | grep -q .'

# Every relative href/src resolves to a file.
broken=0
for f in $(find "$out" -name '*.html'); do
	d=$(dirname "$f")
	for u in $(grep -oE '(href|src)="[^"#?:]+' "$f" | sed -E 's/^(href|src)="//' | sort -u); do
		[ -e "$d/$u" ] || { echo "  broken link in ${f#$out/}: $u"; broken=$((broken + 1)); }
	done
done
check "every relative link resolves to a file" '[ $broken -eq 0 ]'

# --- determinism --------------------------------------------------------
cp -R "$out" "$tmp/first"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "two builds are byte-identical" 'diff -r "$tmp/first" "$out" >/dev/null'

# --- errors: message, status, previous output untouched -------------------
before=$(find "$out" -type f -exec md5sum {} + | sort | md5sum)
expect_error() { # name, expected stderr line
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	st=$?
	want=$2
	check "$1: exit status 1" '[ $st -eq 1 ]'
	check "$1: message" 'grep -qF -- "$want" "$tmp/err"'
	after=$(find "$out" -type f -exec md5sum {} + | sort | md5sum)
	check "$1: previous output unchanged" '[ "$before" = "$after" ]'
}

printf '\nA [broken link](missing.md) here.\n' >> "$tmp/site/content/topics/costs.md"
expect_error "broken link" "content/topics/costs.md:26:3: error: link target 'missing.md' not found"
site basic; cp -R "$tmp/first" "$tmp/site/public"

printf '\nSee [the missing paragraph](../articles/example-source.txt#p99).\n' >> "$tmp/site/content/topics/costs.md"
expect_error "missing paragraph" "content/topics/costs.md:26:5: error: citation '../articles/example-source.txt#p99': content/articles/example-source.txt has 6 paragraphs, no paragraph 99"
site basic; cp -R "$tmp/first" "$tmp/site/public"

printf 'title = "unterminated\n' > "$tmp/site/site.toml"
expect_error "broken site.toml" "site.toml:1:9: error:"
site basic; cp -R "$tmp/first" "$tmp/site/public"

printf '{{#page}}never closed\n' > "$tmp/site/themes/dossier/templates/page.mustache"
expect_error "broken template" "themes/dossier/templates/page.mustache:1:1: error:"
site basic; cp -R "$tmp/first" "$tmp/site/public"

sed -i 's/quote = "spent only \$5.6 million"/quote = "never said anywhere"/' "$tmp/site/content/articles/example-source.txt"
expect_error "annotation quote without a match" "content/articles/example-source.txt:11:1: error: annotation quote 'never said anywhere' matches nothing"
site basic; cp -R "$tmp/first" "$tmp/site/public"

printf '+++\ntitle = "Escape"\nslug = "../../evil"\n+++\nx\n' > "$tmp/site/content/topics/evil.md"
expect_error "slug escaping the output" "content/topics/evil.md:3:8: error: slug '../../evil' must be a plain file name"
site basic; cp -R "$tmp/first" "$tmp/site/public"

printf '+++\ntitle = "Acme again"\nkind = "organization"\naliases = ["Acme"]\n+++\nx\n' > "$tmp/site/content/entities/acme-2.md"
expect_error "two entities claim one name" "content/entities/acme-labs.md:4:12: error: name 'Acme' is also claimed by content/entities/acme-2.md"
site basic

printf 'title = "T"\ntitel = "x"\n[history]\nenabled = false\n' > "$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "unknown key is a warning with a suggestion" 'grep -qF "site.toml:2:1: warning: unknown key '"'"'titel'"'"' (did you mean '"'"'title'"'"'?)" "$tmp/err"'

# --- safety, redirects, base_url, themes -------------------------------------
site basic
cat >> "$tmp/site/content/topics/costs.md" <<'MD'

<script>alert(1)</script>

A [bad](javascript:alert(1)) link and <b>inline</b> html.
MD
sed -i 's/^weight = 1$/weight = 1\nredirect_from = ["topics\/old-costs.md", "costs-old\/"]/' "$tmp/site/content/topics/costs.md"
"$bin" build -C "$tmp/site" --base-url https://example.org/d/ -q 2>"$tmp/err"
check "safe by default: build succeeds" '[ $? -eq 0 ]'
check "raw HTML dropped" '! grep -q "<script>alert" "$out/topics/costs.html" && ! grep -q "<b>inline" "$out/topics/costs.html"'
check "javascript: URL dropped" '! grep -q "javascript:" "$out/topics/costs.html"'
check "redirect_from writes a redirect page" 'grep -q "url=costs.html" "$out/topics/old-costs.html"'
check "redirect_from a folder writes its index page" 'grep -q "url=../topics/costs.html" "$out/costs-old/index.html"'
check "redirect page is canonical to the absolute URL" 'grep -q "rel=\"canonical\" href=\"https://example.org/d/topics/costs.html\"" "$out/topics/old-costs.html"'
check "base_url: sitemap.xml" 'grep -q "<loc>https://example.org/d/topics/costs.html</loc>" "$out/sitemap.xml"'
check "base_url: canonical link" 'grep -q "<link rel=\"canonical\" href=\"https://example.org/d/topics/costs.html\">" "$out/topics/costs.html"'
check "no base_url: no sitemap" '"$bin" build -C "$tmp/site" -q 2>"$tmp/err" && [ ! -f "$out/sitemap.xml" ]'
printf '\n[markdown]\nunsafe = true\n' >> "$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "unsafe = true keeps raw HTML" 'grep -q "<b>inline</b>" "$out/topics/costs.html"'

# A content file and a redirect at a data file's path: errors, each at its
# source, and the previous output stays; another content file in data/ is
# copied.
site basic
mkdir -p "$tmp/site/content/data"
printf 'kept\n' >"$tmp/site/content/data/other.json"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "another content file in data/ is copied" '[ $? -eq 0 ] && cmp -s "$out/data/other.json" "$tmp/site/content/data/other.json"'
cp -R "$out" "$tmp/before-data"
printf '{"not": "the claims"}\n' >"$tmp/site/content/data/claims.json"
sed -i 's/^weight = 1$/weight = 1\nredirect_from = ["data\/entities.json", "style.css"]/' "$tmp/site/content/topics/costs.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "a content file at a data file's path is an error" \
	'[ $? -eq 1 ] && grep -qx "content/data/claims.json: error: this file would be published as '"'"'data/claims.json'"'"', replacing a data file the build writes; rename or move it" "$tmp/err"'
check "a redirect at a data file's path is an error" \
	'grep -q "^content/topics/costs.md:[0-9]*:[0-9]*: error: redirect_from '"'"'data/entities.json'"'"' would replace data/entities.json, a data file the build writes; choose another path$" "$tmp/err"'
check "a redirect at the theme's stylesheet is an error" \
	'grep -q "^content/topics/costs.md:[0-9]*:[0-9]*: error: redirect_from '"'"'style.css'"'"' would replace style.css, a file the theme or another redirect writes; choose another path$" "$tmp/err"'
check "the previous output is unchanged" 'diff -r "$tmp/before-data" "$out" >/dev/null'

# The same at --archive's path, written after every other output: a content
# file and a redirect there are errors at their source, and nothing is written.
site basic
"$bin" build -C "$tmp/site" -q --archive dossier.zip 2>"$tmp/err"
cp -R "$out" "$tmp/before-archive"
printf 'a contributor'"'"'s file\n' >"$tmp/site/content/dossier.zip"
"$bin" build -C "$tmp/site" -q --archive dossier.zip 2>"$tmp/err"
check "a content file at the archive's path is an error" \
	'[ $? -eq 1 ] && grep -qx "content/dossier.zip: error: this file would be published as '"'"'dossier.zip'"'"', replacing the archive the build writes (--archive); rename or move it" "$tmp/err"'
rm "$tmp/site/content/dossier.zip"
sed -i 's/^weight = 1$/weight = 1\nredirect_from = ["dossier.zip"]/' "$tmp/site/content/topics/costs.md"
"$bin" build -C "$tmp/site" -q --archive dossier.zip 2>"$tmp/err"
check "a redirect at the archive's path is an error" \
	'[ $? -eq 1 ] && grep -q "^content/topics/costs.md:[0-9]*:[0-9]*: error: redirect_from '"'"'dossier.zip'"'"' would replace dossier.zip, the archive the build writes (--archive); choose another path$" "$tmp/err"'
check "the previous output and its archive are unchanged" 'diff -r "$tmp/before-archive" "$out" >/dev/null'

site basic
sed -i 's/theme = "dossier"/theme = "plain"/' "$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "theme = plain builds" '[ $? -eq 0 ] && [ -f "$out/index.html" ]'
check "theme = plain changes the look" '! cmp -s "$out/style.css" "$tmp/first/style.css"'

site basic; cp -R "$tmp/first" "$tmp/site/public"
before=$(find "$out" -type f -exec md5sum {} + | sort | md5sum)
ln -s /etc "$tmp/site/content/escape"
expect_error "symlink leaving content/" "content/escape: error: symbolic link leads outside content/"
rm "$tmp/site/content/escape"

# --- install --------------------------------------------------------------------
rm -rf "$tmp/inst"
if make -s install DESTDIR="$tmp/inst" PREFIX=/usr >"$tmp/err" 2>&1; then
	check "install: binary, man page, themes under DESTDIR/PREFIX" '[ -x "$tmp/inst/usr/bin/dossier" ] && [ -f "$tmp/inst/usr/share/man/man1/dossier.1" ] && [ -d "$tmp/inst/usr/share/dossier/themes/dossier" ]'
	site basic; rm -rf "$tmp/site/themes"
	"$tmp/inst/usr/bin/dossier" build -C "$tmp/site" -q 2>"$tmp/err"
	check "installed binary finds its themes" '[ $? -eq 0 ] && [ -f "$out/index.html" ]'
else
	ko "make install DESTDIR=... PREFIX=/usr"
fi

# --- the output folder guard ---------------------------------------------
mkdir -p "$tmp/precious"; echo keep > "$tmp/precious/file"
"$bin" build -C "$tmp/site" -o "$tmp/precious" -q 2>"$tmp/err"
st=$?
check "refuses to replace a folder it did not make" '[ $st -eq 1 ] && [ "$(cat "$tmp/precious/file")" = keep ]'

# --- usage errors -----------------------------------------------------------
"$bin" build --frobnicate 2>"$tmp/err"
check "unknown option: exit 2" '[ $? -eq 2 ]'
"$bin" --version >"$tmp/err"
check "--version" 'grep -q "^dossier " "$tmp/err"'

# --- entity linking on the AST ---------------------------------------------------
site basic
cat > "$tmp/site/content/topics/mentions.md" <<'MD'
+++
title = "Mentions"
+++

## Meta in a heading

Meta first, then [Meta inside a link](costs.md), `Meta in code`, and Meta's second mention.
Acme
Labs spans a line break; metadata is not Meta.
MD
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
m="$out/topics/mentions.html"
check "entity: one link per page by default (first mention)" '[ "$(grep -o "class=\"entity\" href=\"../entities/meta.html\"" "$m" | wc -l)" -eq 1 ]'
check "entity: a heading neither links nor uses up the first link" 'grep -q "<a class=\"entity\" href=\"../entities/meta.html\">Meta</a> first" "$m"'
check "entity: never inside a link or code" 'grep -q ">Meta inside a link</a>" "$m" && grep -q "<code>Meta in code</code>" "$m"'
check "entity: a name across a line break links" 'grep -q "href=\"../entities/acme-labs.html\">Acme.Labs</a>" "$m" || grep -Pzq "href=\"../entities/acme-labs.html\">Acme\nLabs</a>" "$m"'
check "entity: whole words only" '! grep -q "entity[^>]*>metadata" "$m"'
check "entity page: mentions grouped with snippets linked to paragraphs" 'grep -q "topics/mentions.html" "$out/entities/meta.html" && grep -q "<mark>Meta</mark>" "$out/entities/meta.html" && grep -q "example-source.html#p3" "$out/entities/meta.html"'
printf '\n[entities]\nlink = "all"\n' >> "$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "entity: link = all links every mention outside headings, links and code" '[ "$(grep -o "class=\"entity\" href=\"../entities/meta.html\"" "$m" | wc -l)" -eq 3 ]'
printf '+++\ntitle = "Excluded"\nentities_exclude = ["meta"]\n+++\nMeta and Acme Labs.\n' > "$tmp/site/content/topics/excluded.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
printf '+++\ntitle = "Written in Markdown"\nshort = "MD"\npublisher = "unknown"\npublished = "unknown"\nurl = "unknown"\n+++\nFirst *paragraph*.\n\n- an item\n' > "$tmp/site/content/articles/md-article.md"
printf '\nSee [](../articles/md-article.md#p2).\n' >> "$tmp/site/content/topics/excluded.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "articles in Markdown: paragraph ids and citations" 'grep -q "<li id=\"p2\">" "$out/articles/md-article.html" && grep -q "MD ¶2" "$out/topics/excluded.html"'
check "entity: entities_exclude keeps a page from linking that entity" '! grep -q "class=\"entity\" href=\"../entities/meta.html\"" "$out/topics/excluded.html" && grep -q "class=\"entity\" href=\"../entities/acme-labs.html\"" "$out/topics/excluded.html"'
printf 'title = "T"\ntheme = "dossier"\n[entities]\nlink = "sometimes"\n' > "$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "entity: bad link policy is an error with its position" 'grep -qF "site.toml:4:8: error: [entities] link must be" "$tmp/err"'

# --- revision history on the pages (a git repository made here) ----------------
if command -v git >/dev/null 2>&1; then
	site basic
	sed -i 's/^enabled = false$/enabled = true/' "$tmp/site/site.toml"
	printf '\n[repo]\nurl = "https://forge.example/dossier"\nbranch = "main"\n' >> "$tmp/site/site.toml"
	(
		cd "$tmp/site" && git init -q -b main . &&
		printf 'Real Name <real@example.org> <old@example.org>\n' > .mailmap &&
		printf 'public/\n' > .gitignore &&
		git add -A && GIT_COMMITTER_DATE="2025-01-27T10:00:00+08:00" \
			git -c user.name=Old -c user.email=old@example.org commit -q --date="2025-01-27T10:00:00+08:00" -m "Add the fixture" &&
		git mv content/topics/costs.md content/topics/cost-claims.md &&
		GIT_COMMITTER_DATE="2025-01-28T09:00:00+00:00" \
			git -c user.name=Ed -c user.email=ed@example.org commit -q --date="2025-01-28T09:00:00+00:00" -m "Rename the topic" &&
		sed -i 's/reported a small training bill/reported a small bill/' content/topics/cost-claims.md &&
		GIT_COMMITTER_DATE="2025-01-29T09:00:00+00:00" \
			git -c user.name=Ed -c user.email=ed@example.org commit -q -a --date="2025-01-29T09:00:00+00:00" -m "Fix <b>bold</b> wording"
	) >"$tmp/err" 2>&1
	sed -i 's#costs.md#cost-claims.md#g' "$tmp/site/content/_index.md" "$tmp/site/content/articles/example-source.txt"
	(cd "$tmp/site" && git -c user.name=Ed -c user.email=ed@example.org commit -q -a --date="2025-01-29T10:00:00+00:00" -m "Follow the rename" >/dev/null 2>&1)
	printf '\nAn uncommitted line.\n' >> "$tmp/site/content/entities/meta.md"
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	check "history: builds from a git repository" '[ $? -eq 0 ]'
	h="$out/topics/cost-claims.html"
	check "history: renames followed (3 revisions, each with its hash)" '[ "$(grep -o "class=\"rev-hash\"" "$h" | wc -l)" -eq 3 ]'
	check "history: Added and Last updated from git" 'grep -q "Added <time datetime=\"2025-01-27\">" "$h" && grep -q "last updated <time datetime=\"2025-01-29\">" "$h"'
	check "history: dates in the commit time zone" 'grep -q "2025-01-27T10:00:00+08:00" "$h"'
	check "history: .mailmap applied, e-mails not published" 'grep -q "Real Name" "$h" && ! grep -q "example.org" "$h"'
	check "history: subject HTML escaped" 'grep -q "Fix &lt;b&gt;bold&lt;/b&gt; wording" "$h"'
	check "history: commit links and edit link with [repo]" 'grep -q "https://forge.example/dossier/commit/" "$h" && grep -q "https://forge.example/dossier/edit/main/content/topics/cost-claims.md" "$h"'
	check "history: uncommitted change flagged only where it is" 'grep -q "not committed yet" "$out/entities/meta.html" && ! grep -q "not committed yet" "$h"'
	check "history: a diff page per revision" 'ls "$out"/revisions/topics/cost-claims-*.html >/dev/null 2>&1 && grep -q "small <del>training </del>bill" "$out"/revisions/topics/cost-claims-*.html'
	# Only the change of the text has a page: the addition and the pure
	# rename say what they did in the History instead.
	check "history: no diff page for the addition or a pure rename" '[ "$(ls "$out"/revisions/topics/cost-claims-*.html | wc -l)" -eq 1 ] && [ "$(grep -c "rev-diff" "$h")" -eq 1 ] && grep -q "rev-what\">added<" "$h" && grep -q "renamed from <code>topics/costs.md</code>" "$h"'
	r=$(ls "$out"/revisions/topics/cost-claims-*.html)
	check "history: the revision page is lean and leads back to the page's History" '! grep -q "site-header\|<script" "$r" && grep -q "href=\"../../topics/cost-claims.html#ds-history-title\"" "$r" && grep -q "<meta name=\"robots\" content=\"noindex\">" "$r"'
	check "history: changes page and Atom feed" 'grep -q "Rename the topic" "$out/changes.html" && grep -q "<entry>" "$out/atom.xml" && grep -q "<content type=\"text\">" "$out/atom.xml"'
	cp "$out/atom.xml" "$tmp/atom1"; "$bin" build -C "$tmp/site" -q 2>/dev/null
	check "history: feed ids stable across builds" 'cmp -s "$tmp/atom1" "$out/atom.xml"'
	# A title holding a character XML refuses (U+FFFF, by a TOML escape) is
	# written with U+FFFD in the feed, which stays well-formed; a control
	# character (U+0001) is refused at its position, as in any string.
	cp "$tmp/site/content/topics/cost-claims.md" "$tmp/cost-claims.md"
	sed -i 's/^title = "\(.*\)"$/title = "\1 \\uFFFF"/' "$tmp/site/content/topics/cost-claims.md"
	"$bin" build -C "$tmp/site" -q 2>/dev/null
	check "history: the feed is well-formed XML whatever a title holds" \
		'python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$out/atom.xml" && grep -q "$(printf " \357\277\275")" "$out/atom.xml"'
	sed 's/^title = "\(.*\)"$/title = "\1 \\u0001"/' "$tmp/cost-claims.md" >"$tmp/site/content/topics/cost-claims.md"
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	st=$?
	check "history: a control character in a title is an error at the title" \
		'[ $st -eq 1 ] && grep -q "^content/topics/cost-claims.md:[0-9]*:9: error: .title. contains control character U+0001 (SOH), which no page can show$" "$tmp/err"'
	cp "$tmp/cost-claims.md" "$tmp/site/content/topics/cost-claims.md"
	# [history] emails = true: the address (through .mailmap, escaped) after
	# each author's name wherever the name is shown, and in the feed.
	cp "$tmp/site/.mailmap" "$tmp/mailmap"
	printf 'Real Name <real&co@example.org> <old@example.org>\n' >"$tmp/site/.mailmap"
	sed -i 's/^enabled = true$/enabled = true\nemails = true/' "$tmp/site/site.toml"
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	check "history emails: builds" '[ $? -eq 0 ]'
	check "history emails: on the page's History, escaped" 'grep -qF "Real Name <span class=\"rev-email\">&lt;real&amp;co@example.org&gt;</span></span>" "$h" && grep -qF "Ed <span class=\"rev-email\">&lt;ed@example.org&gt;</span></span>" "$h"'
	check "history emails: on changes.html" 'grep -qF "Ed <span class=\"rev-email\">&lt;ed@example.org&gt;</span></span>" "$out/changes.html" && grep -qF "&lt;real&amp;co@example.org&gt;" "$out/changes.html"'
	check "history emails: on the revision page" 'grep -qF "Ed <span class=\"rev-email\">&lt;ed@example.org&gt;</span> ·" "$r"'
	check "history emails: the feed's author <email>, well-formed" 'grep -qF "<author><name>Ed</name><email>ed@example.org</email></author>" "$out/atom.xml" && grep -qF "<email>real&amp;co@example.org</email>" "$out/atom.xml" && python3 -c "import sys, xml.dom.minidom; xml.dom.minidom.parse(sys.argv[1])" "$out/atom.xml"'
	sed -i 's/^theme = "dossier"$/theme = "plain"/' "$tmp/site/site.toml"
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	check "history emails: the plain theme shows them too" 'grep -qF "Ed &lt;ed@example.org&gt;" "$h" && grep -qF "Ed &lt;ed@example.org&gt;:" "$(ls "$out"/revisions/topics/cost-claims-*.html)" && grep -qF "Real Name &lt;real&amp;co@example.org&gt; <code>" "$out/changes.html"'
	sed -i 's/^theme = "plain"$/theme = "dossier"/; /^emails = true$/d' "$tmp/site/site.toml"
	cp "$tmp/mailmap" "$tmp/site/.mailmap"
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	check "history emails: none without the option" '! grep -rqF "example.org" "$out"'
else
	ko "git is needed for the history tests"
fi

# --- more of the command line ------------------------------------------------
"$bin" help build >"$tmp/err" 2>&1
check "help COMMAND" 'grep -q "^usage: dossier build" "$tmp/err"'
"$bin" --help >"$tmp/err" 2>&1
check "--help lists the commands" 'grep -q "serve" "$tmp/err" && grep -q "import" "$tmp/err"'
site basic
"$bin" build -C "$tmp/site" -v 2>"$tmp/err"
check "-v says what each phase does, with the time, the CPU seconds and the memory then" 'grep -Eq "^ *[0-9]+\.[0-9]{2} s +[0-9]+\.[0-9]{2} cpu +[0-9]+ MB  linking" "$tmp/err" && grep -Eq "^ *[0-9]+\.[0-9]{2} s +[0-9]+\.[0-9]{2} cpu +[0-9]+ MB  done$" "$tmp/err" && grep -q "dropped boilerplate line: Subscribe to our newsletter" "$tmp/err"'
printf '+++\ntitle = "Draft"\ndraft = true\n+++\nx\n' > "$tmp/site/content/topics/draft.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "drafts left out by default" '[ ! -f "$out/topics/draft.html" ]'
"$bin" build -C "$tmp/site" --drafts -q 2>"$tmp/err"
check "--drafts includes them" '[ -f "$out/topics/draft.html" ]'
sed 's/^title = .*/title = "Other config"/' "$tmp/site/site.toml" > "$tmp/other.toml"
"$bin" build -C "$tmp/site" --config "$tmp/other.toml" -q 2>"$tmp/err"
check "--config reads another file" 'grep -q "Other config" "$out/index.html"'
printf '+++\ntitle = "Bad"\nweight = = 3\n+++\nx\n' > "$tmp/site/content/topics/bad.md"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "front-matter TOML error names file:line:col" 'grep -q "^content/topics/bad.md:3:10: error:" "$tmp/err"'

# --- import -------------------------------------------------------------------
"$bin" import "$tmp/site/content/articles/example-source.txt" >"$tmp/md" 2>"$tmp/err"
check "import prints Markdown" 'grep -q "^## The Figure" "$tmp/md" && ! grep -q Subscribe "$tmp/md"'

# --- new ----------------------------------------------------------------------
"$bin" new entity "Holger Zschaepitz" -C "$tmp/site" >"$tmp/err" 2>&1
check "new writes a file" '[ -f "$tmp/site/content/entities/holger-zschaepitz.md" ]'
check "new uses the theme's archetype" 'grep -q "^title = \"Holger Zschaepitz\"" "$tmp/site/content/entities/holger-zschaepitz.md" && grep -q "matched case-sensitively" "$tmp/site/content/entities/holger-zschaepitz.md"'
mkdir -p "$tmp/site/content/_templates" && printf '+++\ntitle = "{{title}}"\nkind = "person"\n+++\nOur own template.\n' > "$tmp/site/content/_templates/entity.md"
"$bin" new entity "Keith Lerner" -C "$tmp/site" >/dev/null 2>&1
check "new prefers content/_templates" 'grep -q "Our own template." "$tmp/site/content/entities/keith-lerner.md"'
"$bin" new entity "Holger Zschaepitz" -C "$tmp/site" 2>"$tmp/err"
check "new refuses to overwrite" '[ $? -eq 1 ] && grep -q "already exists" "$tmp/err"'

finish
