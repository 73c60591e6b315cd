#!/bin/sh
# Threads (issue 13, "Both cores"): a build on several threads writes the
# same bytes and prints the same diagnostics, in the same order, as a build
# on one. The project's dossier (with its git history and revision pages)
# and every fixture site build with -j 1 and -j 4 (and the dossier with
# -j 2 and -j 8) to the same tree digest; a site with errors and warnings
# on many pages prints byte-identical stderr with -j 1 and -j 4, for build
# and for check; -j takes a number from 1 to 1024.
#
#   DOSSIER=build/asan/dossier sh tests/e2e/jobs.sh   (default build/dossier)
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh

digest() {
	[ -d "$1" ] || { echo "no output"; return; }
	(cd "$1" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum
}
# same NAME SITE JOBS...: builds SITE with each -j; same digest and stderr.
same() {
	name=$1 site=$2
	shift 2
	first=""
	for j in "$@"; do
		rm -rf "$tmp/out-$j"
		"$bin" build -j "$j" -C "$site" -o "$tmp/out-$j" -q 2>"$tmp/err-$j"
		echo "exit $?" >>"$tmp/err-$j"
		if [ -z "$first" ]; then
			first=$j
			continue
		fi
		check "$name: -j $j writes what -j $first writes" \
			'[ "$(digest "$tmp/out-$j")" = "$(digest "$tmp/out-$first")" ]'
		check "$name: -j $j prints what -j $first prints" 'cmp -s "$tmp/err-$j" "$tmp/err-$first"'
	done
}

same "the dossier" . 1 2 4 8
check "the dossier has revision pages" '[ -d "$tmp/out-1/revisions" ]'
for s in tests/fixtures/*/; do
	[ -f "$s/site.toml" ] || continue
	rm -rf "$tmp/site"
	cp -R "$s" "$tmp/site"
	[ -d "$tmp/site/themes" ] || cp -R themes "$tmp/site/themes"
	same "$s" "$tmp/site" 1 4
done

# Errors and warnings on many pages: broken links, citations and anchors,
# in files that sort in another order than they load.
site="$tmp/bad"
cp -R tests/fixtures/basic "$site"
cp -R themes "$site/themes"
i=1
while [ $i -le 40 ]; do
	n=$(( (i * 17) % 41 ))
	cat >"$site/content/topics/t$n.md" <<EOT
+++
title = "Topic $n"
+++

See [a missing page](missing-$n.md) and [a missing heading](costs.md#nowhere-$n).

Cited [](../articles/example-source.txt#p9$n), and [this one](t$(( (n + 1) % 41 )).md#gone).
EOT
	i=$((i + 1))
done
# Pages that fail to load (bad headers, invalid UTF-8) or load as drafts,
# among the others: they load on threads and report in the walk's order.
i=1
while [ $i -le 12 ]; do
	n=$(( (i * 7) % 13 ))
	printf '+++\ntitle = \n+++\n\nBody %s.\n' "$n" >"$site/content/topics/bad-$n.md"
	printf '+++\ntitle = "Draft %s"\ndraft = true\n+++\n\n[x](nowhere.md)\n' "$n" >"$site/content/topics/draft-$n.md"
	printf '+++\ntitle = "Bytes %s"\n+++\n\n\377 here\n' "$n" >"$site/content/topics/bytes-$n.md"
	i=$((i + 1))
done
same "a site with errors" "$site" 1 4
check "a site with errors: it fails with many errors" \
	'grep -q "^exit 1" "$tmp/err-1" && [ "$(grep -c ": error: " "$tmp/err-1")" -ge 104 ]'
check "a site with errors: the pages that do not load are reported" \
	'[ "$(grep -c "^content/topics/bad-[0-9]*\.md:.*: error: " "$tmp/err-1")" -ge 12 ] &&
	 [ "$(grep -c "^content/topics/bytes-[0-9]*\.md:.*invalid UTF-8" "$tmp/err-1")" -eq 12 ] &&
	 ! grep -q "draft-" "$tmp/err-1"'
for j in 1 4; do
	"$bin" check -j "$j" -C "$site" >"$tmp/check-$j" 2>&1
	echo "exit $?" >>"$tmp/check-$j"
done
check "check: -j 4 prints what -j 1 prints" 'cmp -s "$tmp/check-4" "$tmp/check-1"'

for bad in 0 -1 x 1025 ""; do
	"$bin" build -j "$bad" -C "$site" -o "$tmp/nope" -q 2>"$tmp/err"
	st=$?
	check "-j '$bad' is a usage error (exit 2)" \
		'[ $st -eq 2 ] && grep -q "^dossier build: -j takes a number of threads from 1 to 1024" "$tmp/err" && [ ! -e "$tmp/nope" ]'
done
"$bin" build -C "$site" -o "$tmp/nope" -q -j 2>"$tmp/err"
check "-j without a number is a usage error" '[ $? -eq 2 ] && [ ! -e "$tmp/nope" ]'

finish jobs
