#!/bin/sh
# End-to-end tests of a hostile pull request (issue 11): content/, themes/
# and site.toml try to read or publish files from outside the site, loop the
# walk, inject Sass, forge diagnostics and smuggle NUL bytes or javascript:
# URLs. Each case asserts the exact diagnostic lines and the exit status,
# that the previous output and every file outside it (sources and a folder
# beside the site) are unchanged, and that a secret planted outside the site
# appears neither in the output nor in the messages.
# Prints "N passed, N failed"; exit 1 on failure.
set -u
cd "$(dirname "$0")/../.." || exit 2
. tests/e2e/lib.sh
# A bound on each run, only so that a walk that would never end (finding 7
# on the old code) fails instead of hanging the suite; never a pass/fail
# timing.
limit=${HOSTILE_TIMEOUT:-300}
secret="Planted$$"

# A fresh copy of the basic fixture with the project's themes, a good
# output built from it, and a secret beside the site (outside it).
fresh() {
	rm -rf "$tmp/site" "$tmp/outside"
	cp -R tests/fixtures/basic "$tmp/site"
	cp -R themes "$tmp/site/themes"
	mkdir -p "$tmp/outside/dir"
	echo "$secret" >"$tmp/outside/secret.txt"
	echo "$secret" >"$tmp/outside/dir/inner.md"
	printf '.x { content: "%s"; }\n' "$secret" >"$tmp/outside/_evil.scss"
	"$bin" build -C "$tmp/site" -q 2>"$tmp/err" || ko "fixture builds before the case"
}

# Checksums of the output, and of everything else: the site's sources and
# the folder beside it.
sums() {
	(cd "$tmp" && find site outside -path site/public -prune -o -type f -print0 |
		LC_ALL=C sort -z | xargs -0 md5sum | md5sum)
}
outsum() { (cd "$tmp/site/public" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum | md5sum); }

snapshot() {
	before_src=$(sums)
	before_out=$(outsum)
}

# expect_fail NAME COMMAND LINE...: COMMAND (build or check) exits 1 and
# prints each LINE exactly; nothing changed; no secret anywhere.
expect_fail() {
	name=$1 cmd=$2
	shift 2
	timeout "$limit" "$bin" "$cmd" -C "$tmp/site" -q 2>"$tmp/err"
	st=$?
	check "$name: exit status 1" '[ $st -eq 1 ]'
	for want in "$@"; do
		check "$name: says '$want'" 'grep -qxF -- "$want" "$tmp/err"'
	done
	check "$name: sources and the folder beside the site unchanged" '[ "$before_src" = "$(sums)" ]'
	check "$name: previous output unchanged" '[ "$before_out" = "$(outsum)" ]'
	check "$name: no secret in the output" '! grep -rqF "$secret" "$tmp/site/public"'
	check "$name: no secret in the messages" '! grep -qF "$secret" "$tmp/err"'
}

# --- content/: links leaving it, loops, bad names ----------------------------
fresh
ln -s "$tmp/outside/secret.txt" "$tmp/site/content/leak.txt"
ln -s "$tmp/outside/dir" "$tmp/site/content/leakdir"
ln -s ../site.toml "$tmp/site/content/config.txt"
snapshot
expect_fail "content links leaving content/" build \
	"content/leak.txt: error: symbolic link leads outside content/; refusing to follow it" \
	"content/leakdir: error: symbolic link leads outside content/; refusing to follow it" \
	"content/config.txt: error: symbolic link leads outside content/; refusing to follow it"
expect_fail "content links leaving content/ (check)" check \
	"content/leak.txt: error: symbolic link leads outside content/; refusing to follow it"

fresh
ln -s topics/costs.md "$tmp/site/content/alias.txt"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "a link inside content/ is fine" '[ $? -eq 0 ] && cmp -s "$tmp/site/public/alias.txt" "$tmp/site/content/topics/costs.md"'

# Two links to "." would make the walk 2^40 paths long (finding 7). The
# timeout only stops a run that would never end; the assertions are the
# messages.
fresh
ln -s . "$tmp/site/content/topics/loop"
ln -s . "$tmp/site/content/topics/loop2"
ln -s .. "$tmp/site/content/entities/up"
ln -s ../topics "$tmp/site/content/entities/alias"
snapshot
expect_fail "symlink loops in content/" "build" \
	"content/topics/loop: error: symbolic link loop: leads back to content/topics; refusing to follow it" \
	"content/topics/loop2: error: symbolic link loop: leads back to content/topics; refusing to follow it" \
	"content/entities/up: error: symbolic link loop: leads back to content; refusing to follow it" \
	"content/entities/alias: error: symbolic link to content/topics, a folder read anyway; refusing to read it twice"
check "symlink loops: one message per link" '[ $(grep -c "symbolic link" "$tmp/err") -eq 4 ]'

fresh
printf 'x' >"$tmp/site/content/bad$(printf '\377')name.png"
snapshot
expect_fail "non-UTF-8 file name" build \
	'content/bad\xffname.png: error: file name is not valid UTF-8; rename it'

# A file name holding a newline and a forged diagnostic (finding 10).
fresh
forged="$tmp/site/content/topics/a
site.toml:1:1: error: forged.md"
printf '+++\ntitle = "A"\n+++\n\n[x](missing.md)\n' >"$forged"
snapshot
expect_fail "newline in a file name" build \
	'content/topics/a\nsite.toml:1:1: error: forged.md: error: file name holds a control character; rename it'
check "newline in a file name: no forged line" '! grep -q "^site.toml:1:1: error: forged" "$tmp/err"'
check "newline in a file name: the name is on one line" '[ $(grep -c forged "$tmp/err") -eq 1 ]'

# site.toml itself linked to a file outside: its parse errors would quote it.
fresh
mv "$tmp/site/site.toml" "$tmp/outside/site.toml"
printf '%s = \n' "$secret" >>"$tmp/outside/site.toml"
ln -s "$tmp/outside/site.toml" "$tmp/site/site.toml"
snapshot
expect_fail "site.toml linked outside the site" build \
	"site.toml: error: symbolic link leads outside the site; refusing to read it"

# .git-blame-ignore-revs linked outside: its warnings would quote each line.
fresh
sed -i 's/^enabled = false$/enabled = true/' "$tmp/site/site.toml"
ln -s "$tmp/outside/secret.txt" "$tmp/site/.git-blame-ignore-revs"
(cd "$tmp/site" && git init -q && git add -A &&
	git -c user.name=t -c user.email=t@example.org commit -qm init) >/dev/null 2>&1
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
st=$?
check ".git-blame-ignore-revs linked outside: builds" '[ $st -eq 0 ]'
check ".git-blame-ignore-revs linked outside: says so" 'grep -qxF "$tmp/site/.git-blame-ignore-revs: warning: symbolic link leads outside the repository; not read" "$tmp/err"'
check ".git-blame-ignore-revs linked outside: no secret in the messages" '! grep -qF "$secret" "$tmp/err"'
check ".git-blame-ignore-revs linked outside: no secret in the output" '! grep -rqF "$secret" "$tmp/site/public"'

# .mailmap linked outside (an address book): the names and addresses it maps
# would be published as every commit's author.
fresh
sed -i 's/^enabled = false$/enabled = true\nemails = true/' "$tmp/site/site.toml"
printf '%s <%s@example.org> <t@example.org>\n' "$secret" "$secret" >"$tmp/outside/people.txt"
ln -s "$tmp/outside/people.txt" "$tmp/site/.mailmap"
(cd "$tmp/site" && git init -q && git add -A &&
	git -c user.name=t -c user.email=t@example.org commit -qm init) >/dev/null 2>&1
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
st=$?
check ".mailmap linked outside: builds" '[ $st -eq 0 ]'
check ".mailmap linked outside: says so" 'grep -qxF "$tmp/site/.mailmap: warning: symbolic link leads outside the repository; not read" "$tmp/err"'
check ".mailmap linked outside: no secret in the messages" '! grep -qF "$secret" "$tmp/err"'
check ".mailmap linked outside: no secret in the output" '! grep -rqF "$secret" "$tmp/site/public"'
check ".mailmap linked outside: the author as committed" 'grep -qF "rev-author\">t <span class=\"rev-email\">&lt;t@example.org&gt;</span>" "$tmp/site/public/changes.html"'

# The output folder committed as a symbolic link (public -> a folder outside
# the site: another site's output, which carries the mark, or an empty
# folder): the build would replace what it points to.
fresh
rm -rf "$tmp/outside/www" "$tmp/outside/empty"
"$bin" build -C "$tmp/site" -o "$tmp/outside/www" -q 2>/dev/null
echo "not from any build" >"$tmp/outside/www/keep.html"
mkdir "$tmp/outside/empty"
wwwsum() { (cd "$tmp/outside" && find www empty -type f -print0 | LC_ALL=C sort -z | xargs -0 md5sum | md5sum); }
for target in www empty; do
	rm -rf "$tmp/site/public"
	ln -s "../outside/$target" "$tmp/site/public"
	before=$(wwwsum)
	for how in default -o; do
		if [ "$how" = -o ]; then
			"$bin" build -C "$tmp/site" -o "$tmp/site/public" -q 2>"$tmp/err"
		else
			"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
		fi
		st=$?
		check "output linked to $target outside ($how): exit status 1" '[ $st -eq 1 ]'
		check "output linked to $target outside ($how): says so" 'grep -qxF "$tmp/site/public: error: the path of the output folder goes through a symbolic link inside the site ($tmp/site/public); refusing to follow it: remove the link, or give -o a folder outside the site" "$tmp/err"'
		check "output linked to $target outside ($how): what it points to is unchanged" '[ "$before" = "$(wwwsum)" ] && [ ! -e "$tmp/outside/empty/index.html" ]'
	done
done
rm -f "$tmp/site/public"
rm -rf "$tmp/outside/www" "$tmp/outside/empty"

# --- themes: static/, templates, the theme folder --------------------------------
fresh
ln -s /proc/self/environ "$tmp/site/themes/dossier/static/env.txt"
ln -s "$tmp/outside/secret.txt" "$tmp/site/themes/dossier/static/secret.txt"
ln -s . "$tmp/site/themes/dossier/static/loop"
snapshot
expect_fail "theme static/ links leaving the theme" build \
	"themes/dossier/static/env.txt: error: symbolic link leads outside the theme; not read" \
	"themes/dossier/static/secret.txt: error: symbolic link leads outside the theme; not read" \
	"themes/dossier/static/loop: error: symbolic link to a folder read anyway (a loop?); not read"
check "theme static/: the environment is not published" '! grep -rqa "PATH=" "$tmp/site/public"'
expect_fail "theme static/ links leaving the theme (check)" check \
	"themes/dossier/static/env.txt: error: symbolic link leads outside the theme; not read"

# static/ itself a link out of the theme: one error naming it, from check
# as from build (the build copied through it and failed at its first file,
# naming the temporary output folder; check passed).
fresh
mv "$tmp/site/themes/dossier/static" "$tmp/outside/static"
cp "$tmp/outside/secret.txt" "$tmp/outside/static/secret.txt"
ln -s "$tmp/outside/static" "$tmp/site/themes/dossier/static"
snapshot
for cmd in check build; do
	expect_fail "theme static/ folder leaving the theme ($cmd)" $cmd \
		"themes/dossier/static: error: symbolic link leads outside the theme; not read"
	check "theme static/ folder leaving the theme ($cmd): the one error" '[ "$(grep -c ": error: " "$tmp/err")" -eq 1 ]'
done

# A static name that is not UTF-8 (or holds a control character) is refused
# at the theme's file in every mode, as under content/ (it passed check and
# a plain build, and failed --archive at the temporary output folder).
fresh
bad="bad$(printf '\377').txt"
echo x >"$tmp/site/themes/dossier/static/$bad"
echo x >"$tmp/site/themes/dossier/static/$(printf 'a\nb.txt')"
snapshot
for cmd in check build; do
	expect_fail "theme static/ names not UTF-8 or with a newline ($cmd)" $cmd \
		"themes/dossier/static/bad\\xff.txt: error: file name is not valid UTF-8; rename it" \
		"themes/dossier/static/a\\nb.txt: error: file name holds a control character; rename it"
done
"$bin" build -C "$tmp/site" -q --archive site.zip 2>"$tmp/err"
st=$?
check "theme static/ name not UTF-8 (build --archive): refused at the theme's file" \
	'[ $st -eq 1 ] && grep -qxF "themes/dossier/static/bad\\xff.txt: error: file name is not valid UTF-8; rename it" "$tmp/err"'
check "theme static/ name not UTF-8 (build --archive): previous output unchanged" '[ "$before_out" = "$(outsum)" ]'

# Static files at the build's paths, or at names one on macOS and Windows:
# errors at the theme's file (they were dropped, or published beside the
# page they would replace when unpacked, without a word).
fresh
st_dir=$tmp/site/themes/dossier/static
mkdir -p "$st_dir/topics" "$st_dir/Topics" "$st_dir/data" "$st_dir/search"
echo '<script>alert(1)</script>' >"$st_dir/index.html"
echo '<script>alert(2)</script>' >"$st_dir/Index.html"
echo x >"$st_dir/topics/costs.html"
echo x >"$st_dir/Topics/Costs.html"
snapshot
for cmd in check build; do
	expect_fail "theme static/ files over pages ($cmd)" $cmd \
		"themes/dossier/static/index.html: error: this file would be published as 'index.html', replacing the page of content/_index.md; rename or move it" \
		"themes/dossier/static/Index.html: error: published as 'Index.html', which differs from 'index.html' (content/_index.md) only in letter case or Unicode normalization: on macOS and Windows, where the site is read offline, one would replace the other; rename one of them" \
		"themes/dossier/static/topics/costs.html: error: this file would be published as 'topics/costs.html', replacing the page of content/topics/costs.md; rename or move it" \
		"themes/dossier/static/Topics/Costs.html: error: published as 'Topics/Costs.html', which differs from 'topics/costs.html' (content/topics/costs.md) only in letter case or Unicode normalization: on macOS and Windows, where the site is read offline, one would replace the other; rename one of them"
done
rm -r "$st_dir/index.html" "$st_dir/Index.html" "$st_dir/topics" "$st_dir/Topics"
echo x >"$st_dir/atom.xml"
echo x >"$st_dir/data/claims.json"
echo x >"$st_dir/search/index.js"
snapshot
"$bin" build -C "$tmp/site" -q --archive site.zip 2>"$tmp/err"
check "theme static/ files over the build's files: exit status 1" '[ $? -eq 1 ]'
for f in atom.xml data/claims.json search/index.js; do
	check "theme static/$f over the build's: an error at it" \
		'grep -qxF "themes/dossier/static/$f: error: this file would be published as '"'"'$f'"'"', replacing a file the build writes; rename or move it" "$tmp/err"'
done
check "theme static/ files over the build's files: previous output unchanged" '[ "$before_out" = "$(outsum)" ]'
rm -r "$st_dir/atom.xml" "$st_dir/data" "$st_dir/search"
echo x >"$st_dir/site.zip"
"$bin" build -C "$tmp/site" -q --archive site.zip 2>"$tmp/err"
check "theme static/site.zip beside --archive site.zip: an error at it" \
	'[ $? -eq 1 ] && grep -qxF "themes/dossier/static/site.zip: error: '"'"'site.zip'"'"' is a name the build keeps for a file of its own in the output folder; rename it" "$tmp/err"'
check "theme static/ files over the build's files: previous output unchanged" '[ "$before_out" = "$(outsum)" ]'

# Hidden files of static/ are published (they were left out without a
# word); a name the build keeps for itself is an error at the theme's file.
fresh
st_dir=$tmp/site/themes/dossier/static
touch "$st_dir/.nojekyll"
mkdir "$st_dir/.well-known"
echo "Contact: x@example.org" >"$st_dir/.well-known/security.txt"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "theme static/ hidden files are published" \
	'[ $? -eq 0 ] && [ -f "$tmp/site/public/.nojekyll" ] && cmp -s "$st_dir/.well-known/security.txt" "$tmp/site/public/.well-known/security.txt"'
echo forged >"$st_dir/.dossier-output"
mkdir "$st_dir/.dossier-cache"
echo forged >"$st_dir/.dossier-cache/x"
snapshot
for cmd in check build; do
	expect_fail "theme static/ names the build keeps ($cmd)" $cmd \
		"themes/dossier/static/.dossier-output: error: '.dossier-output' is a name the build keeps for a file of its own in the output folder; rename it" \
		"themes/dossier/static/.dossier-cache: error: '.dossier-cache' is a name the build keeps for a file of its own in the output folder; rename it"
done

fresh
ln -s dossier.js "$tmp/site/themes/dossier/static/copy.js"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "a link inside the theme is fine" '[ $? -eq 0 ] && cmp -s "$tmp/site/public/copy.js" "$tmp/site/themes/dossier/static/dossier.js"'

fresh
ln -s "$tmp/outside/secret.txt" "$tmp/site/themes/dossier/templates/leak.mustache"
snapshot
expect_fail "template link leaving the theme" build \
	"themes/dossier/templates/leak.mustache: error: symbolic link leads outside the theme; not read"

fresh
mv "$tmp/site/themes/dossier" "$tmp/outside/theme"
ln -s "$tmp/outside/theme" "$tmp/site/themes/dossier"
echo "$secret" >"$tmp/outside/theme/static/secret.txt"
snapshot
expect_fail "theme folder leaving the site" build \
	"themes/dossier: error: the theme folder leads outside the site (a symbolic link?); not read"

# --- Sass (finding 6) -------------------------------------------------------------
fresh
printf '\n[params]\naccent = '"'"'red; @import "%s"; $x: red'"'"'\n"a;b" = "x"\nlist = [1]\n' \
	"$tmp/outside/secret.txt" >>"$tmp/site/site.toml"
snapshot
expect_fail "[params] injection" build \
	"site.toml:10:10: error: [params] accent must not hold ';', '{', '}', '\\' or control characters (it is pasted into CSS values)" \
	"site.toml:11:1: error: [params] key 'a;b' must be an identifier (letters, digits, '-' and '_', starting with a letter or '_')" \
	"site.toml:12:1: error: [params] list must be a string, a number or a boolean, not array"

fresh
printf '\n[params]\naccent = '"'"'x" @import "%s" #$y'"'"'\nfont-ui = '"'"'Charter, "Sitka Text", serif'"'"'\nline-height = 1.5\n' \
	"$tmp/outside/secret.txt" >>"$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
st=$?
css="$tmp/site/public/style.css"
check "[params] strings are quoted Sass strings: build ok" '[ $st -eq 0 ]'
check "[params] strings are quoted: no import happened" '! grep -qF "$secret" "$css"'
check "[params] strings are quoted: the text is kept as is" 'grep -qF "x\" @import \"$tmp/outside/secret.txt\" #\$y;" "$css"'
check "[params] font stack keeps its quotes" 'grep -qF "font-family: Charter, \"Sitka Text\", serif;" "$css"'
check "[params] numbers stay numbers" 'grep -qF "line-height: 1.5;" "$css"'

scss="$tmp/site/themes/dossier/sass/style.scss"
n=$(($(wc -l <"$scss") + 1))
for imp in "$tmp/outside/secret.txt" "../../../../outside/_evil" "file://$tmp/outside/secret.txt"; do
	fresh
	printf '@import "%s";\n' "$imp" >>"$scss"
	snapshot
	case $imp in
	../*) msg=" leads outside the theme; not read" ;;
	*) msg=": only paths relative to the theme's sass/ folder" ;;
	esac
	expect_fail "@import \"$imp\"" build \
		"themes/dossier/sass/style.scss:$n:9: error: @import \"$imp\"$msg"
done
fresh
ln -s "$tmp/outside/_evil.scss" "$tmp/site/themes/dossier/sass/_evil.scss"
printf '@import "evil";\n' >>"$scss"
snapshot
expect_fail "@import of a partial linked outside the theme" build \
	"themes/dossier/sass/style.scss:$n:9: error: @import \"evil\" leads outside the theme; not read"

# A stylesheet that never ends (libsass has no limit of its own) or eats
# memory stops at the sandbox's limits (lib/sandbox.h), reported, the
# previous output kept. DOSSIER_SASS_SECONDS shortens the 60 s deadline.
fresh
printf '$i: 0;\n@while $i >= 0 { $i: $i + 1; }\n' >>"$scss"
snapshot
DOSSIER_SASS_SECONDS=2 expect_fail "an endless @while" build \
	"themes/dossier/sass/style.scss: error: the Sass compiler took longer than 2 s; the stylesheet is not used (an endless @while or @for?)"
fresh
printf '$s: "a";\n@for $i from 1 through 40 { $s: $s + $s; }\n.x { content: str-length($s); }\n' >>"$scss"
snapshot
timeout "$limit" "$bin" build -C "$tmp/site" -q 2>"$tmp/err"
st=$?
check "a stylesheet that eats memory: exit status 1" '[ $st -eq 1 ]'
check "a stylesheet that eats memory: one error on the stylesheet" \
	'[ "$(grep -c "^themes/dossier/sass/style.scss: error: " "$tmp/err")" -eq 1 ]'
check "a stylesheet that eats memory: previous output unchanged" '[ "$before_out" = "$(outsum)" ]'

# @warn and @debug text cannot forge a diagnostic or print a terminal
# escape (it reached stderr raw, exit 0, even with -q): each is one escaped
# warning at its rule's line, in the stylesheet's own numbering (the
# [params] line in front of it does not count).
fresh
n=$(($(wc -l <"$scss") + 1))
printf '@warn "x\\a site.toml:1:1: error: forged by @warn \\1b[31mRED";\n@debug "y\\a site.toml:1:1: error: forged by @debug";\n@warn 1px * 3;\n' >>"$scss"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
st=$?
check "@warn and @debug: the build succeeds" '[ $st -eq 0 ]'
check "@warn and @debug: no forged line" '! grep -q "^site.toml:1:1: error: forged" "$tmp/err"'
check "@warn and @debug: no raw ESC" '! grep -q "$(printf "\033")" "$tmp/err"'
check "@warn: one escaped warning at its line" \
	'grep -qxF "themes/dossier/sass/style.scss:$n:7: warning: @warn: x\\nsite.toml:1:1: error: forged by @warn \\x1b[31mRED" "$tmp/err"'
check "@debug: one escaped warning at its line" \
	'grep -qxF "themes/dossier/sass/style.scss:$((n + 1)):8: warning: @debug: y\\nsite.toml:1:1: error: forged by @debug" "$tmp/err"'
check "@warn of a number" 'grep -qxF "themes/dossier/sass/style.scss:$((n + 2)):13: warning: @warn: 3px" "$tmp/err"'
check "@warn and @debug: nothing else from the compiler" '! grep -v "^themes/dossier/sass/style.scss:[0-9]*:[0-9]*: warning: @" "$tmp/err" | grep -qi "warn\|debug"'

# The CSS of all stylesheets together is bounded (32 MB; the build holds it
# until it writes the output): 16 stylesheets of 64 MB each took the build
# to 1 GB resident and wrote 1.1 GB. Over the bound is an error on the
# stylesheet that crosses it; the ones before it are fine.
fresh
printf '$s: "a";\n@for $i from 1 through 22 { $s: $s + $s; }\n.x { a: $s; b: $s; c: $s; d: $s; e: $s; }\n' \
	>"$tmp/site/themes/dossier/sass/big1.scss"
cp "$tmp/site/themes/dossier/sass/big1.scss" "$tmp/site/themes/dossier/sass/big2.scss"
snapshot
expect_fail "CSS past 32 MB in all" build \
	"themes/dossier/sass/big2.scss: error: its CSS (20.0 MB) would take the theme's CSS past 32 MB in all (20.0 MB before it); the stylesheet is not used"
check "CSS past 32 MB in all: the stylesheet before it is no error" '! grep -q "big1.scss" "$tmp/err"'

# --- Markdown the packaged cmark-gfm takes quadratic cost on ----------------------
# (lib/mdlimits.h) is refused before the parse, at its line, the previous
# output kept. Sizes that Debian's 0.29.0.gfm.6 still parses in seconds
# (the previous binary built each of them, exit 0); ten times more would
# take it minutes, or gigabytes for the short rows.
costs=$tmp/site/content/topics/costs.md
fresh
printf '\n' >>"$costs"
n=$(($(wc -l <"$costs") + 1))
python3 -c 'print("|".join(["x"] * 2001)); print("-|-"); print("1|2")' >>"$costs"
snapshot
expect_fail "a table row of 2,000 cells" build \
	"content/topics/costs.md:$n:1: error: a table row of 2000 '|' (at most 1000): the Markdown parser's time grows with the square of a row's cells"

# markdown_case NAME PYTHON REGEX: costs.md gets the lines PYTHON prints;
# the build fails with one error matching REGEX, the output kept.
markdown_case() {
	fresh
	printf '\n' >>"$costs"
	python3 -c "$2" >>"$costs"
	snapshot
	timeout "$limit" "$bin" build -C "$tmp/site" -q 2>"$tmp/err"
	st=$?
	check "$1: exit status 1" '[ $st -eq 1 ]'
	re=$3
	check "$1: the error" '[ "$(grep -cE "$re" "$tmp/err")" -eq 1 ]'
	check "$1: previous output unchanged" '[ "$before_out" = "$(outsum)" ]'
}
markdown_case "900 columns of short rows" \
	'print("x|" * 900); print("-|" * 900); print("x\n" * 899, end="")' \
	"^content/topics/costs\.md:[0-9]+:1: error: table rows shorter than their table make the Markdown parser add 808201 empty cells \(at most [0-9]+: 65536 and one per byte of text; this row passes it\); give each row its cells, or end the table with a blank line$"
markdown_case "5,000 delimiter lines under one paragraph" \
	'print("abcde\n-|-\n" * 5000, end="")' \
	"^content/topics/costs\.md:[0-9]+:1: error: lines like '-\|-' under a paragraph make the Markdown parser read it again at each one, [0-9]+ bytes in all \(at most [0-9]+: 16 times the text and 1 MiB\); put a blank line before each table$"
fresh
printf '\n' >>"$costs"
python3 -c 'print("abcde\n-|-\n\n" * 5000, end=""); print("| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 20000, end="")' >>"$costs"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "the same with blank lines, and a table of 20,000 rows, build" '[ $? -eq 0 ] && grep -q "<td>2</td>" "$tmp/site/public/topics/costs.html"'

# --- NUL in strings, URLs (finding 11) ----------------------------------------------
fresh
sed -i 's/^title = "Costs"$/title = "Costs"\nslug = "x\\u0000y"/' "$tmp/site/content/topics/costs.md"
printf '\n[repo]\nurl = "https://example.org/\\u0000javascript"\n' >>"$tmp/site/site.toml"
snapshot
expect_fail "NUL in a slug" build \
	"content/topics/costs.md:3:8: error: 'slug' contains a NUL character (\\u0000)" \
	"site.toml:10:7: error: 'url' contains a NUL character (\\u0000)"
check "NUL in a slug: nothing written as x.html" '[ ! -e "$tmp/site/public/topics/x.html" ]'

fresh
sed -i '1i base_url = "javascript:alert(document.domain)//"' "$tmp/site/site.toml"
printf '\n[repo]\nurl = "  JavaScript:alert(1)"\n' >>"$tmp/site/site.toml"
snapshot
expect_fail "javascript: URLs" build \
	"site.toml:1:12: error: base_url must be an http:// or https:// URL with a host, not 'javascript:alert(document.domain)//'" \
	"site.toml:11:7: error: [repo] url must be an http:// or https:// URL with a host, not '  JavaScript:alert(1)'"
check "javascript: URLs: not published" '! grep -rqi "javascript:alert" "$tmp/site/public"'

fresh
sed -i '1i base_url = "https://dossier.example.org/sub/"' "$tmp/site/site.toml"
printf '\n[repo]\nurl = "https://git.example.org/team/dossier"\n' >>"$tmp/site/site.toml"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "http(s) URLs are accepted" '[ $? -eq 0 ] && grep -q "https://dossier.example.org/sub/" "$tmp/site/public/sitemap.xml"'

# --- content/: files a browser would run, and files over the build's ---------
# (a pull request's content/index.html replaced the home page, its
# content/dossier.js the theme's script on every page, and an .html or .svg
# file ran its script on the site's origin)
fresh
printf '<h1>not the home page</h1><script>alert(1)</script>\n' >"$tmp/site/content/index.html"
printf '<script>alert(2)</script>\n' >"$tmp/site/content/topics/evil.html"
printf '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(3)</script></svg>\n' >"$tmp/site/content/topics/chart.svg"
printf 'alert(4)\n' >"$tmp/site/content/dossier.js"
printf '<b>sniffed</b>\n' >"$tmp/site/content/topics/NOTES"
printf 'png\n' >"$tmp/site/content/topics/chart.PNG"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "safe mode: files that would run are withheld, the build succeeds" '[ $? -eq 0 ]'
for f in index.html topics/evil.html topics/chart.svg dossier.js; do
	check "safe mode: content/$f is reported" \
		'grep -qx "content/$f: warning: not published: a .${f##*.} file could hold markup or script that would run on the site (content/ publishes images, audio, video, PDF, documents, text, CSV, JSON, archives and fonts as they are; \[markdown\] unsafe = true publishes any file)" "$tmp/err"'
done
check "safe mode: a file without an extension is withheld" \
	'grep -q "^content/topics/NOTES: warning: not published: a file without an extension could hold markup" "$tmp/err" && [ ! -e "$tmp/site/public/topics/NOTES" ]'
check "safe mode: the home page and the theme's script are the build's" \
	'grep -q "<title>" "$tmp/site/public/index.html" && ! grep -rqF "alert(" "$tmp/site/public"'
check "safe mode: nothing of them is published" \
	'[ ! -e "$tmp/site/public/topics/evil.html" ] && [ ! -e "$tmp/site/public/topics/chart.svg" ]'
check "safe mode: an image is published, whatever the case of its extension" \
	'cmp -s "$tmp/site/content/topics/chart.PNG" "$tmp/site/public/topics/chart.PNG"'
printf '\nSee [the chart](chart.svg).\n' >>"$tmp/site/content/topics/costs.md"
snapshot
expect_fail "a link to a withheld file" build \
	"content/topics/costs.md:$(grep -c '' "$tmp/site/content/topics/costs.md"):5: error: link target 'chart.svg' is not published: content/topics/chart.svg could run markup or script on the site (its warning says more)"

fresh
printf '<h1>not the home page</h1>\n' >"$tmp/site/content/index.html"
printf 'alert(4)\n' >"$tmp/site/content/dossier.js"
printf '<b>mine</b>\n' >"$tmp/site/content/topics/evil.html"
printf '\n[markdown]\nunsafe = true\n' >>"$tmp/site/site.toml"
grep -c '^\[markdown\]' "$tmp/site/site.toml" | grep -qx 1 || ko "the fixture has one [markdown] table"
snapshot
expect_fail "unsafe mode: a content file over a page" build \
	"content/index.html: error: this file would be published as 'index.html', replacing the page of content/_index.md; rename or move it"
expect_fail "unsafe mode: a content file over a page (check)" check \
	"content/index.html: error: this file would be published as 'index.html', replacing the page of content/_index.md; rename or move it"
rm "$tmp/site/content/index.html"
snapshot
for cmd in check build; do
	expect_fail "unsafe mode: a content file over the theme's script ($cmd)" $cmd \
		"content/dossier.js: error: this file would be published as 'dossier.js', replacing themes/dossier/static/dossier.js; rename or move it"
done
rm "$tmp/site/content/dossier.js"
"$bin" build -C "$tmp/site" -q 2>"$tmp/err"
check "unsafe mode: any other file is published as it is" '[ $? -eq 0 ] && cmp -s "$tmp/site/content/topics/evil.html" "$tmp/site/public/topics/evil.html"'

# Names one file on macOS and Windows (case, Unicode normalization).
fresh
printf '+++\ntitle = "Upper"\n+++\nUpper.\n' >"$tmp/site/content/topics/Costs.md"
printf 'png\n' >"$tmp/site/content/topics/Caf$(printf '\303\251').png"
printf 'png\n' >"$tmp/site/content/topics/cafe$(printf '\314\201').PNG"
snapshot
expect_fail "names that differ only in case or normalization" build \
	"content/topics/Costs.md:1:1: error: published as 'topics/Costs.html', which differs from 'topics/costs.html' (content/topics/costs.md) only in letter case or Unicode normalization: on macOS and Windows, where the site is read offline, one would replace the other; rename one of them" \
	"content/topics/cafe$(printf '\314\201').PNG: error: published as 'topics/cafe$(printf '\314\201').PNG', which differs from 'topics/Caf$(printf '\303\251').png' (content/topics/Caf$(printf '\303\251').png) only in letter case or Unicode normalization: on macOS and Windows, where the site is read offline, one would replace the other; rename one of them"

finish
