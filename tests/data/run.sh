#!/bin/sh
# make check's data suite: builds the dossier twice (with and without a
# base_url) and validates what it publishes: JSON-LD and Web Annotations
# expanded by a JSON-LD processor, data/*.json against doc/schema/ (both in
# validate.mjs), sitemap.xml against the sitemaps.org schema (xmllint;
# ../shared), and atom.xml against RFC 4287's rules.
set -u
cd "$(dirname "$0")/../.."
top=$(pwd)
bin="${DOSSIER:-$top/build/dossier}"
dir=tests/data
shared=${1:-../shared}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT INT TERM
pass=0
fail=0
ok() { pass=$((pass + 1)); }
ko() { fail=$((fail + 1)); echo "FAIL: $1"; [ -f "$tmp/err" ] && sed 's/^/    /' "$tmp/err" | head -10; }
check() { if eval "$2"; then ok; else ko "$1"; fi; }

command -v node >/dev/null 2>&1 && command -v xmllint >/dev/null 2>&1 || sh tests/deps.sh nodejs npm libxml2-utils || true
if [ ! -f "$dir/node_modules/jsonld/package.json" ] || [ ! -f "$dir/node_modules/ajv/package.json" ]; then
	echo "data: installing $dir/package.json's packages from npm"
	(cd "$dir" && npm install --no-audit --no-fund --no-package-lock >/dev/null) ||
		{ echo "data: npm install failed: jsonld and ajv could not be installed"; exit 1; }
fi

"$bin" build -q -o "$tmp/rel" 2>"$tmp/err"
check "the dossier builds without base_url" '[ $? -eq 0 ]'
"$bin" build -q -o "$tmp/abs" --base-url https://example.org/dossier/ 2>"$tmp/err"
check "the dossier builds with a base_url" '[ $? -eq 0 ]'
rm -f "$tmp/err"
for v in rel abs; do
	node "$dir/validate.mjs" "$tmp/$v" "$top" >"$tmp/node.out"
	st=$?
	tail -2 "$tmp/node.out" | sed "s/^/data ($v): /"
	grep '^FAIL' -A1 "$tmp/node.out" | head -20
	check "JSON-LD, annotations and data files validate ($v)" '[ $st -eq 0 ]'
done
check "JSON-LD carries absolute URLs with a base_url" 'grep -q "\"mainEntityOfPage\":\"https://example.org/dossier/articles/" "$tmp/abs/articles/"*.html'
check "OpenGraph url with a base_url only" 'grep -q "<meta property=\"og:url\" content=\"https://example.org/dossier/index.html\">" "$tmp/abs/index.html" && ! grep -q "og:url" "$tmp/rel/index.html"'
check "OpenGraph title and type on every page" '[ "$(grep -L "<meta property=\"og:type\" content=\"\(article\|website\)\">" $(find "$tmp/rel" -name "*.html" ! -path "*/revisions/*" ! -exec grep -q "http-equiv=\"refresh\"" {} \; -print) | wc -l)" -eq 0 ]'
"$bin" build -q -o "$tmp/again" 2>/dev/null
check "data files are the same on every build" 'diff -r "$tmp/rel/data" "$tmp/again/data" >/dev/null && cmp -s "$tmp/rel/annotations.jsonld" "$tmp/again/annotations.jsonld"'

# sitemap.xml against the sitemaps.org schema.
if [ -f "$shared/conformance/schemas/sitemap.xsd" ]; then
	xmllint --noout --schema "$shared/conformance/schemas/sitemap.xsd" "$tmp/abs/sitemap.xml" 2>"$tmp/err"
	check "sitemap.xml validates against sitemap.xsd" '[ $? -eq 0 ]'
	printf '<?xml version="1.0"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><lastmod>x</lastmod></url></urlset>\n' >"$tmp/bad.xml"
	xmllint --noout --schema "$shared/conformance/schemas/sitemap.xsd" "$tmp/bad.xml" 2>/dev/null
	check "sitemap.xsd rejects a bad sitemap (the check is live)" '[ $? -ne 0 ]'
else
	echo "data: SKIPPED sitemap.xsd validation: $shared/conformance/schemas/sitemap.xsd is absent"
fi

# atom.xml: RFC 4287 section 4.1 — one id, title and updated per feed and
# entry, RFC 3339 dates, ids that are absolute IRIs, an author for each entry
# (or the feed).
rm -f "$tmp/err"
for v in rel abs; do
	f="$tmp/$v/atom.xml"
	x() { xmllint --xpath "$1" "$f" 2>/dev/null; }
	check "atom ($v): well-formed" 'xmllint --noout "$f" 2>"$tmp/err"'
	for el in id title updated; do
		check "atom ($v): one feed $el" '[ "$(x "count(/*[local-name()=\"feed\"]/*[local-name()=\"'$el'\"])")" = 1 ]'
	done
	n=$(x 'count(//*[local-name()="entry"])')
	check "atom ($v): has entries" '[ "${n:-0}" -gt 0 ]'
	for el in id title updated; do
		check "atom ($v): one $el in every entry" '[ "$(x "count(//*[local-name()=\"entry\"][count(*[local-name()=\"'$el'\"])=1])")" = "$n" ]'
	done
	check "atom ($v): every entry has an author" '[ "$(x "count(//*[local-name()=\"entry\"][*[local-name()=\"author\"]/*[local-name()=\"name\"]])")" = "$n" ]'
	x '//*[local-name()="updated"]/text()' | tr ' ' '\n' | sed '/^$/d' >"$tmp/dates"
	check "atom ($v): dates are RFC 3339" '[ -s "$tmp/dates" ] && ! grep -vqE "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$" "$tmp/dates"'
	x '//*[local-name()="id"]/text()' | tr ' ' '\n' | sed '/^$/d' >"$tmp/ids"
	check "atom ($v): ids are absolute IRIs" '[ -s "$tmp/ids" ] && ! grep -vqE "^[a-zA-Z][a-zA-Z0-9+.-]*:[^ ]+$" "$tmp/ids"'
	check "atom ($v): ids are unique" '[ "$(sort "$tmp/ids" | uniq -d | wc -l)" -eq 0 ]'
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
