#!/bin/sh
# `dossier build --if-changed` (issue 13, incremental build): a tree that
# has not changed since the recorded build is left alone and its
# diagnostics are shown again; any change to what the build reads (a page's
# bytes, a new file, the theme, site.toml, the commit, the options, the
# program itself, the output folder) builds again. The record
# (OUT/.dossier-cache) is the same bytes for the same tree, and a damaged
# one only costs a build.
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh

# A site in a repository of its own, so that commits count.
site basic
s=$tmp/site
git -C "$s" init -q -b main
git -C "$s" add -A
git -C "$s" -c user.name=T -c user.email=t@example.org commit -qm "first"
printf '+++\ntitle = "Warned"\nunknown_key = 1\n+++\nSome text.\n' >"$s/content/warned.md"

build() { # ARGS...: a build with --if-changed; leaves $tmp/out and $tmp/err
	"$bin" build --if-changed -C "$s" "$@" >"$tmp/out" 2>"$tmp/err"
}
fresh() { grep -q "is up to date" "$tmp/out"; }
built() { grep -q "^dossier: built" "$tmp/out"; }
stamp() { (cd "$s/public" && find . -type f -newer "$tmp/mark" | wc -l); }

build
check "first build: built, the record written" 'built && [ -s "$s/public/.dossier-cache" ]'
cp "$tmp/err" "$tmp/err-first"
sleep 1
touch "$tmp/mark"
build
check "unchanged: up to date, exit 0" '[ $? -eq 0 ] && fresh'
check "unchanged: no output file written" '[ "$(stamp)" -eq 0 ]'
check "unchanged: the same diagnostics again" 'cmp -s "$tmp/err" "$tmp/err-first" && grep -q "warning: unknown key" "$tmp/err"'
check "unchanged: says so with (with warnings)" 'grep -q "(with warnings)" "$tmp/out"'

touch "$s/content/warned.md"
build
check "touched but the same bytes: up to date" 'fresh'

build -v
check "-v says why nothing is done" 'grep -q "up to date: nothing changed" "$tmp/err"'

# Each change builds again, and the next run is up to date.
changed() { # NAME: after a change, a build, then up to date again
	build
	check "$1: built" 'built'
	build
	check "$1: then up to date" 'fresh'
}
echo "more" >>"$s/content/warned.md"
build -v
check "an edited page: -v names it" 'grep -q "building: content/warned.md changed" "$tmp/err"'
build
check "an edited page: then up to date" 'fresh'

# Two inputs changed: the inputs are checked on several threads, and -v
# names the first changed in the record's order (by path) every time.
echo "more" >>"$s/content/warned.md"
echo "more" >>"$s/content/_index.md"
: >"$tmp/whys"
for i in 1 2 3 4 5; do
	cp -R "$s/public" "$tmp/public-$i"
	"$bin" build --if-changed -v -j 4 -C "$s" -o "$tmp/public-$i" >/dev/null 2>"$tmp/err"
	grep "building:" "$tmp/err" | sed 's/.*building: //' >>"$tmp/whys"
	rm -rf "$tmp/public-$i"
done
check "two pages edited: -v names the first by path, on 4 threads, 5 times of 5" \
	'[ "$(sort -u "$tmp/whys")" = "content/_index.md changed" ] && [ "$(wc -l <"$tmp/whys")" -eq 5 ]'
build
check "two pages edited: then up to date" 'built && build && fresh'

printf '+++\ntitle = "New"\n+++\nNew.\n' >"$s/content/new.md"
changed "a new page"
rm "$s/content/new.md"
changed "a page removed"
mkdir "$s/content/sub"
changed "an empty folder"
for f in "$s"/themes/*/templates/page.mustache; do echo "<!-- x -->" >>"$f"; done
changed "a theme template"
# A partial is read by @import inside the Sass sandbox's child: it is an
# input too, and the new CSS is published (it was "up to date", the old
# style.css kept).
echo ".if-changed-probe { color: red; }" >>"$s/themes/dossier/sass/_base.scss"
changed "an @import-ed Sass partial"
check "an @import-ed Sass partial: its CSS is published" 'grep -q "if-changed-probe" "$s/public/style.css"'
sed -i 's/if-changed-probe { color: red; }/if-changed-probe { color: blue; }/' "$s/themes/dossier/sass/_base.scss"
build
check "an @import-ed Sass partial edited again: built, the CSS new" \
	'built && grep -A1 "if-changed-probe" "$s/public/style.css" | grep -q blue'
echo "# a comment" >>"$s/site.toml"
changed "site.toml"
git -C "$s" add -A
git -C "$s" -c user.name=T -c user.email=t@example.org commit -qm "second"
changed "a commit"

build --drafts
check "another option (--drafts): built" 'built'
build --drafts
check "another option: up to date with itself" 'fresh'
build
check "back to the first options: built" 'built'
cp "$s/site.toml" "$s/other.toml"
build --config "$s/other.toml"
check "another --config: built" 'built'
build

rm "$s/public/index.html"
changed "an output file removed"
echo extra >"$s/public/extra.html"
build
check "an output file added: built, and gone" 'built && [ ! -e "$s/public/extra.html" ]'

# Another program (the same code with a byte more) is not trusted.
cp "$bin" "$tmp/dossier2" && printf x >>"$tmp/dossier2"
"$tmp/dossier2" build --if-changed -C "$s" >"$tmp/out" 2>"$tmp/err"
check "another program: built" 'built'

# Errors are never recorded: each run builds and fails again.
printf '+++\ntitle = "Bad"\n+++\n[x](nowhere.md)\n' >"$s/content/bad.md"
build
st1=$?
build
st2=$?
check "a failing build is not recorded: it fails each time" '[ $st1 -eq 1 ] && [ $st2 -eq 1 ] && grep -q "nowhere.md" "$tmp/err"'
rm "$s/content/bad.md"
build

# The record is the same bytes for the same tree, wherever the output is.
"$bin" build --if-changed -C "$s" -o "$tmp/o1" -q 2>/dev/null
"$bin" build --if-changed -C "$s" -o "$tmp/o2" -q -j 1 2>/dev/null
check "the record is deterministic (any -j, any output folder)" 'cmp -s "$tmp/o1/.dossier-cache" "$tmp/o2/.dossier-cache"'
check "the record names no path outside the site" '! grep -q "$tmp" "$tmp/o1/.dossier-cache"'
"$bin" build -C "$s" -o "$tmp/o3" -q 2>/dev/null
check "without --if-changed, no record is written" '[ ! -e "$tmp/o3/.dossier-cache" ]'

# A damaged record is no record.
printf 'dossier build cache 1\ngarbage\0\n' >"$s/public/.dossier-cache"
build
check "a damaged record: built" 'built'
head -c 300 "$s/public/.dossier-cache" >"$tmp/cut" && mv "$tmp/cut" "$s/public/.dossier-cache"
build
check "a truncated record: built" 'built'

finish if_changed
