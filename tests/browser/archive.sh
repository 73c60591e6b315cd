#!/bin/sh
# The offline archive (dossier build --archive): built twice (same bytes),
# unpacked into a temporary folder where every relative link resolves, and
# searched from file:// in Chromium (archive.mjs). Runs after the browser
# suite, which installs playwright-core.
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
bin="${DOSSIER:-$top/build/dossier}"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $1"; [ -f "$tmp/err" ] && sed 's/^/    /' "$tmp/err" | head -10; }
check() { if eval "$2"; then ok; else ko "$1"; fi; }
command -v unzip >/dev/null 2>&1 || sh tests/deps.sh unzip || true

"$bin" build -q --archive dossier.zip -o "$tmp/a" 2>"$tmp/err"
check "build --archive: exit 0" '[ $? -eq 0 ] && [ -s "$tmp/a/dossier.zip" ]'
"$bin" build -q --archive dossier.zip -o "$tmp/b" 2>"$tmp/err"
check "build --archive: the same bytes on every build" 'cmp -s "$tmp/a/dossier.zip" "$tmp/b/dossier.zip"'
check "build --archive: the home page links the archive" 'grep -q "<a href=\"dossier.zip\" download>Download for offline reading</a>" "$tmp/a/index.html"'
check "build --archive: other pages do not" '! grep -q "Download for offline reading" "$tmp/a/about.html"'
mkdir -p "$tmp/unpacked"
(cd "$tmp/unpacked" && unzip -q "$tmp/a/dossier.zip") 2>"$tmp/err"
u="$tmp/unpacked/dossier"
check "archive: unpacks into one folder with index.html" '[ -f "$u/index.html" ] && [ "$(ls "$tmp/unpacked")" = dossier ]'
check "archive: holds every file of the site but itself and the mark" '[ "$(cd "$tmp/a" && find . -type f ! -name dossier.zip ! -name .dossier-output | sort)" = "$(cd "$u" && find . -type f | sort)" ]'
broken=0
for f in $(find "$u" -name '*.html'); do
	d=$(dirname "$f")
	for l in $(grep -oE '(href|src)="[^"#?:]+' "$f" | sed -E 's/^(href|src)="//' | sort -u); do
		[ -e "$d/$l" ] || { echo "  broken link in ${f#$u/}: $l"; broken=$((broken + 1)); }
	done
done
check "archive: every relative link of the unpacked copy resolves" '[ $broken -eq 0 ]'
"$bin" build -q --archive ../evil.zip -o "$tmp/c" 2>"$tmp/err"
check "build --archive: a name with a path is an error" '[ $? -eq 1 ] && grep -q "error: --archive takes a file name ending in .zip" "$tmp/err"'
if [ -f tests/browser/node_modules/playwright-core/package.json ] && [ -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
	DOSSIER_PUBLIC="$u" node tests/browser/archive.mjs >"$tmp/node.out" 2>&1
	st=$?
	cat "$tmp/node.out"
	check "archive: the browser checks pass" '[ $st -eq 0 ]'
else
	echo "FAIL: archive: playwright-core or chromium missing (the browser suite installs them)"
	fail=$((fail + 1))
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
