#!/bin/sh
# End-to-end test of serve's incremental rebuilds (issue 13): `dossier serve`
# on a copy of the basic fixture with a few more pages; a scripted series of
# edits (body text, a link added and removed, an entity mention added and
# removed, a heading, a broken link and its fix, an article, front matter, a
# citation of a paragraph, a page added and deleted; then with a git history:
# a committed page edited and put back, a commit), each followed by a
# comparison of the served output folder with a fresh `dossier build` of the
# same tree (sha256 of every file). The log line of each rebuild must say
# whether it was incremental or a full rebuild, as the edit implies. No
# timing decides pass or fail (polling loops are bounded by tries).
cd "$(dirname "$0")/../.." || exit 2
SERVE_TMP_NAME=dossier-inc . tests/e2e/lib_serve.sh

# --- the site ----------------------------------------------------------------
site=$tmp/site
cp -R tests/fixtures/basic "$site"
cp -R themes "$site/themes"
cat >"$site/content/topics/alpha.md" <<'EOF'
+++
title = "Alpha"
description = "A topic other pages link to."
+++

## Background

Alpha cites [the costs page](costs.md) and [a paragraph](../articles/example-source.txt#p3).
Meta appears here.

## Details

More about Acme Labs.
EOF
cat >"$site/content/topics/beta.md" <<'EOF'
+++
title = "Beta"
description = "A topic nobody links to."
+++

## First part

Beta links to [alpha's background](alpha.md#background).

## Second part

Plain words only.
EOF
cat >"$site/content/notes.md" <<'EOF'
+++
title = "Notes"
+++

Top-level notes, see [alpha](topics/alpha.md).
EOF

# --- helpers -----------------------------------------------------------------
digest() { # DIR: one line for the whole tree
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum) | sha256sum | cut -d' ' -f1
}
builds() {
	c=$(grep -c '^build [0-9]*:' "$tmp/log" 2>/dev/null)
	echo "${c:-0}"
}
# wait_build N: until the log holds more than N build lines (at most 60 s).
wait_build() {
	i=0
	while [ "$(builds)" -le "$1" ] && [ $i -lt 300 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	[ "$(builds)" -gt "$1" ]
}
updates() {
	c=$(grep -c '^update [0-9]*: ok' "$tmp/log" 2>/dev/null)
	echo "${c:-0}"
}
wait_update() {
	i=0
	while [ "$(updates)" -le "$1" ] && [ $i -lt 300 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	[ "$(updates)" -gt "$1" ]
}
last_line() { grep '^build [0-9]*:' "$tmp/log" | tail -n 1; }
reference() { # a fresh build of the tree as it is now
	rm -rf "$tmp/ref"
	"$BIN" build -C "$site" -o "$tmp/ref" -q >"$tmp/ref.log" 2>&1
}
# edit DESC EXPECT CMD...: runs CMD (which changes the site), waits for the
# rebuild, checks that its log line matches EXPECT and that the output
# equals a fresh build's.
edit() {
	desc=$1
	expect=$2
	shift 2
	n=$(builds)
	u=$(updates)
	"$@"
	if ! wait_build "$n"; then
		bad "$desc: no rebuild seen"
		return
	fi
	line=$(last_line)
	# An incremental rebuild is followed by the deferred step.
	case $line in
	*incrementally*) wait_update "$u" || bad "$desc: no deferred update seen" ;;
	esac
	case $line in
	*$expect*) ok "$desc: $line" ;;
	*) bad "$desc: log line '$line' does not say '$expect'" ;;
	esac
	reference
	if [ "$(digest "$site/public")" = "$(digest "$tmp/ref")" ]; then
		ok "$desc: output equals a fresh build"
	else
		bad "$desc: output differs from a fresh build"
		diff -r "$site/public" "$tmp/ref" | head -n 20
	fi
}
# replace FILE OLD NEW: a save as editors do it (write a hidden copy beside
# the file, which the server ignores, and rename it over the file).
replace() {
	hidden="$(dirname "$1")/.$(basename "$1").new"
	sed "s|$2|$3|" "$1" >"$hidden" && mv "$hidden" "$1"
}
append() { printf '%s\n' "$2" >>"$1"; }

# --- the server --------------------------------------------------------------
"$BIN" serve --port 0 -C "$site" >"$tmp/log" 2>"$tmp/err" &
server=$!
if ! wait_build 0; then
	bad "first build"
	cat "$tmp/err"
	finish
fi
ok "first build: $(last_line)"

B=$site/content/topics/beta.md
A=$site/content/topics/alpha.md
edit "body text" "incrementally" append "$B" "A new sentence about nothing in particular."
edit "text by overwrite" "incrementally" sh -c "sed 's/Plain words only/Plain words, edited/' '$B' >'$tmp/b' && cat '$tmp/b' >'$B'"
edit "link added" "incrementally" append "$B" "See [the costs](costs.md) too."
edit "link removed" "incrementally" replace "$B" "See \[the costs\](costs.md) too." "See the costs too."
edit "entity mention added" "incrementally" append "$B" "Acme Labs and Meta meet here."
edit "entity mention removed" "incrementally" replace "$B" "Acme Labs and Meta meet here." "Nobody meets here."
edit "heading changed" "incrementally" replace "$B" "## Second part" "## Second half"
edit "mention in a page others link to" "incrementally" replace "$A" "More about Acme Labs." "More about Meta and Acme Labs."
edit "page listed elsewhere" "incrementally" append "$site/content/notes.md" "A line about Meta."

# A broken link: the errors of a full build, the last good output kept.
before=$(digest "$site/public")
n=$(builds)
replace "$B" "(alpha.md#background)" "(missing.md)"
if wait_build "$n"; then
	case $(last_line) in
	*failed*) ok "broken link: the build fails ($(last_line))" ;;
	*) bad "broken link: the build did not fail: $(last_line)" ;;
	esac
	"$BIN" build -C "$site" -o "$tmp/ref" -q >"$tmp/ref.log" 2>&1
	grep -o "beta.md:[0-9]*:[0-9]*: error: .*" "$tmp/ref.log" | head -n 1 >"$tmp/want"
	if [ -s "$tmp/want" ] && grep -qF "$(cat "$tmp/want")" "$tmp/err"; then
		ok "broken link: reported as a full build reports it"
	else
		bad "broken link: error not reported as by a full build ($(cat "$tmp/want"))"
	fi
	if [ "$(digest "$site/public")" = "$before" ]; then
		ok "broken link: the last good output stays"
	else
		bad "broken link: the output changed"
	fi
else
	bad "broken link: no rebuild seen"
fi
edit "broken link fixed" "incrementally" replace "$B" "(missing.md)" "(alpha.md#background)"

# A body over the parser's limits (lib/mdlimits.h): refused by the reload,
# reported by the full build that follows, the last good output kept.
before=$(digest "$site/public")
n=$(builds)
cp "$B" "$tmp/beta.good"
python3 -c 'print("abcde\n-|-\n" * 5000, end="")' >>"$B"
if wait_build "$n"; then
	case $(last_line) in
	*failed*"beta.md: its body is over the Markdown parser's limits"*)
		ok "body over the parser's limits: the build fails ($(last_line))" ;;
	*) bad "body over the parser's limits: the build did not fail: $(last_line)" ;;
	esac
	if grep -q "beta.md:[0-9]*:1: error: lines like '-|-' under a paragraph" "$tmp/err"; then
		ok "body over the parser's limits: reported at its line"
	else
		bad "body over the parser's limits: not reported"
	fi
	if [ "$(digest "$site/public")" = "$before" ]; then
		ok "body over the parser's limits: the last good output stays"
	else
		bad "body over the parser's limits: the output changed"
	fi
else
	bad "body over the parser's limits: no rebuild seen"
fi
edit "body within the limits again" "full rebuild (the last full build had errors)" sh -c "cp '$tmp/beta.good' '$tmp/b' && mv '$tmp/b' '$B'"

edit "heading of a linked page" "full rebuild" replace "$A" "## Details" "## More details"
edit "article edited" "full rebuild" replace "$site/content/articles/example-source.txt" "Analysts" "Some analysts"
edit "front matter" "full rebuild" replace "$B" "A topic nobody links to." "A topic still nobody links to."
edit "paragraph citation added" "incrementally" append "$B" "It cites [](../articles/example-source.txt#p6)."
edit "paragraph citation removed" "incrementally" replace "$B" "It cites \[\](../articles/example-source.txt#p6)." "It cites nothing."
edit "after a fallback, incremental again" "incrementally" append "$B" "One more sentence."
edit "page added" "full rebuild" sh -c "printf '+++\ntitle = \"Gamma\"\n+++\n\nGamma.\n' >'$site/content/topics/gamma.md'"
edit "page deleted" "full rebuild" rm "$site/content/topics/gamma.md"
edit "site.toml" "full rebuild" append "$site/site.toml" "# a comment"

# --- with a git history: an edited page's History follows git's status ------
export GIT_AUTHOR_NAME=A GIT_AUTHOR_EMAIL=a@x GIT_COMMITTER_NAME=A GIT_COMMITTER_EMAIL=a@x \
	GIT_AUTHOR_DATE=2025-01-27T10:00:00+00:00 GIT_COMMITTER_DATE=2025-01-27T10:00:00+00:00 \
	GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
git -C "$site" init -q -b main && git -C "$site" add content site.toml &&
	git -C "$site" commit -q -m "First" || bad "git: the first commit"
notice="changes that are not committed yet"
has_notice() { grep -q "$notice" "$site/public/topics/beta.html"; }
edit "history turned on" "full rebuild" replace "$site/site.toml" "enabled = false" "enabled = true"
if has_notice; then bad "history: a committed page says it has uncommitted changes"; else ok "history: no notice on a committed page"; fi
edit "history: a committed page edited" "incrementally" append "$B" "Words not committed yet."
if has_notice; then ok "history: the edited page says it has uncommitted changes"; else bad "history: no notice on the edited page"; fi
edit "history: the page put back as committed" "incrementally" sh -c "git -C '$site' show HEAD:content/topics/beta.md >'$tmp/b' && mv '$tmp/b' '$B'"
if has_notice; then bad "history: the notice stays on a page put back"; else ok "history: the notice is gone"; fi
# A commit of a new version of the page (made without touching the work
# tree, so that the server sees only the edit after it): that edit brings
# the work tree to the new HEAD.
commit_then_edit() {
	cp "$B" "$tmp/b2" && printf 'Committed words.\n' >>"$tmp/b2" &&
		blob=$(git -C "$site" hash-object -w "$tmp/b2") &&
		git -C "$site" update-index --cacheinfo "100644,$blob,content/topics/beta.md" &&
		git -C "$site" commit -q -m Second && mv "$tmp/b2" "$B"
}
edit "history: a commit, then an edit" "full rebuild (HEAD moved" commit_then_edit
if grep -q '"rev-subject">Second<' "$site/public/topics/beta.html"; then ok "history: the new commit is listed"; else bad "history: the new commit is not listed"; fi
if has_notice; then bad "history: a page as committed says it has uncommitted changes"; else ok "history: no notice after the commit"; fi

stop_server
finish
