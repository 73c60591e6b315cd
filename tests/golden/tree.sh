#!/bin/sh
# The loaded+linked model and the built output, against committed goldens
# (issue 12): for each fixture site, `dossier build --dump-model` must equal
# tests/golden/model/<site>.json, and for the project's dossier and every
# fixture the sha256 of every output file must equal the manifest
# tests/golden/digests/<site>.sha256. A difference prints the diff (of the
# model, or the list of output files whose bytes changed) and fails.
#
#   tests/golden/tree.sh            compare
#   tests/golden/tree.sh --update   rewrite the goldens; commit them saying why
#
# Sites are built from a copy outside the repository with the project's
# themes beside them (as tests/e2e does), so nothing depends on where the
# checkout lives. The project's dossier is built with [history] enabled =
# false: with history on, its output follows every commit that touches
# content/ (the changes page, revision pages, "last updated" dates), which
# is not what a code change should be judged by.
set -eu
cd "$(dirname "$0")/../.."
# Neither the machine's nor the user's git configuration reaches a build.
export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null
bin=${DOSSIER:-build/dossier}
update=0
[ "${1:-}" = "--update" ] && update=1
[ -x "$bin" ] || { echo "golden: $bin missing (make build/dossier)"; exit 1; }
tmp=$(mktemp -d /tmp/dossier-golden-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# compare NAME GOLDEN GOT: diff, or rewrite with --update.
compare() {
	if [ $update = 1 ]; then
		if ! cmp -s "$2" "$3"; then
			cp "$3" "$2"
			echo "golden: updated $2"
		fi
		pass=$((pass + 1))
	elif [ ! -f "$2" ]; then
		echo "FAIL: $1: $2 missing (tests/golden/tree.sh --update writes it)"
		fail=$((fail + 1))
	elif diff -u "$2" "$3" >"$tmp/diff"; then
		pass=$((pass + 1))
	else
		echo "FAIL: $1 differs from $2 (after an intended change: tests/golden/tree.sh --update):"
		head -60 "$tmp/diff" | sed 's/^/    /'
		fail=$((fail + 1))
	fi
}

# A git repository of fixed dates and names, so its hashes never change:
# the basic fixture added in one commit, then a topic edited and an entity
# renamed (the history of a page follows its renames).
history_repo() {
	(
		cd "$1"
		export GIT_AUTHOR_NAME="Ada Author" GIT_AUTHOR_EMAIL=ada@example.org \
			GIT_COMMITTER_NAME="Ada Author" GIT_COMMITTER_EMAIL=ada@example.org \
			GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_SYSTEM=/dev/null TZ=UTC
		sed -i 's/^enabled = false$/enabled = true/' site.toml
		git init -q -b main .
		git add content site.toml
		GIT_AUTHOR_DATE="2025-01-27T10:00:00+08:00" GIT_COMMITTER_DATE="2025-01-27T10:00:00+08:00" \
			git commit -q -m "Add the fixture"
		printf '\nOne more line about the figure.\n' >>content/topics/costs.md
		git mv content/entities/acme-labs.md content/entities/acme.md
		git add -A content
		GIT_AUTHOR_DATE="2025-02-03T09:30:00+00:00" GIT_COMMITTER_DATE="2025-02-03T09:30:00+00:00" \
			git commit -q -m "Costs: one more line; Acme Labs is acme"
	) >/dev/null
}

# site NAME: a copy of fixture NAME (or, for "dossier", of the project's
# site.toml and content/ with history off; for "basic-history", the basic
# fixture as a git repository) at $tmp/NAME, themes beside it.
site() {
	rm -rf "$tmp/$1"
	mkdir -p "$tmp/$1"
	if [ "$1" = basic-history ]; then
		cp -R tests/fixtures/basic/. "$tmp/$1"
		history_repo "$tmp/$1"
	elif [ "$1" = dossier ]; then
		cp -R content "$tmp/$1/content"
		sed 's/^\[history\]$/[history]\nenabled = false/' site.toml >"$tmp/$1/site.toml"
		grep -q '^enabled = false$' "$tmp/$1/site.toml" || printf '\n[history]\nenabled = false\n' >>"$tmp/$1/site.toml"
	else
		cp -R "tests/fixtures/$1/." "$tmp/$1"
	fi
	cp -R themes "$tmp/$1/themes"
}

# manifest DIR: "sha256  ./path" of every file below DIR, in byte order.
manifest() {
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum)
}

model() {
	site "$1"
	if "$bin" build -C "$tmp/$1" --dump-model -o "$tmp/$1-unused" >"$tmp/$1.json" 2>"$tmp/err" &&
	   [ ! -e "$tmp/$1-unused" ]; then
		compare "model of $1" "tests/golden/model/$1.json" "$tmp/$1.json"
	else
		echo "FAIL: dossier build --dump-model of $1 (exit status or it wrote an output folder):"
		sed 's/^/    /' "$tmp/err" | head -20
		fail=$((fail + 1))
	fi
}

digest() {
	site "$1"
	if "$bin" build -C "$tmp/$1" -o "$tmp/$1-out" -q 2>"$tmp/err"; then
		manifest "$tmp/$1-out" >"$tmp/$1.sha256"
		compare "output of $1" "tests/golden/digests/$1.sha256" "$tmp/$1.sha256"
	else
		echo "FAIL: building $1:"
		sed 's/^/    /' "$tmp/err" | head -20
		fail=$((fail + 1))
	fi
}

# An imported fixture (hugo, mdbook): the converted content/, then its
# build. Hugo's fixture links to a missing page on purpose (the converter
# reports it); that link is removed before building, as tests/e2e does.
imported() {
	rm -rf "$tmp/$1"
	mkdir -p "$tmp/$1"
	printf 'title = "Converted"\n[history]\nenabled = false\n' >"$tmp/$1/site.toml"
	cp -R themes "$tmp/$1/themes"
	if "$bin" import --from "$1" "tests/fixtures/$1" -o "$tmp/$1/content" -q 2>"$tmp/err"; then
		manifest "$tmp/$1/content" | sed 's|  \./|  content/|' >"$tmp/$1.sha256"
		[ "$1" = hugo ] && sed -i 's/ and to \[nothing\](missing.md)//' "$tmp/$1/content/posts/second.md"
		if "$bin" build -C "$tmp/$1" -o "$tmp/$1-out" -q 2>"$tmp/err"; then
			manifest "$tmp/$1-out" | sed 's|  \./|  public/|' >>"$tmp/$1.sha256"
			compare "import and build of $1" "tests/golden/digests/$1.sha256" "$tmp/$1.sha256"
			return
		fi
	fi
	echo "FAIL: importing and building $1:"
	sed 's/^/    /' "$tmp/err" | head -20
	fail=$((fail + 1))
}

# bench_corpus N: the scale benchmark's corpus (tests/bench/gen_site.c,
# history on: N/2 commits of fixed dates) built on 1 and on 4 threads; both
# outputs must equal tests/golden/digests/bench-N.sha256. The paths only a
# large site has are in it: list pages past the first, search shards,
# 1,000 entity pages, hundreds of revision pages (issue 13).
bench_corpus() {
	d=$tmp/bench-$1
	rm -rf "$d"
	if ! ${MAKE:-make} -s --no-print-directory build/gen-site >"$tmp/err" 2>&1 ||
	   ! { git init -q -b main "$d" && build/gen-site "$1" | git -C "$d" fast-import --quiet &&
	       git -C "$d" reset -q --hard main; } >>"$tmp/err" 2>&1; then
		echo "FAIL: generating the $1-page bench corpus:"
		sed 's/^/    /' "$tmp/err" | head -20
		fail=$((fail + 1))
		return
	fi
	cp -R themes "$d/themes"
	for j in 1 4; do
		if "$bin" build -C "$d" -j $j -o "$d-out$j" -q 2>"$tmp/err"; then
			manifest "$d-out$j" >"$tmp/bench-$1.sha256"
			compare "output of the $1-page bench corpus at -j $j" "tests/golden/digests/bench-$1.sha256" \
				"$tmp/bench-$1.sha256"
		else
			echo "FAIL: building the $1-page bench corpus at -j $j:"
			sed 's/^/    /' "$tmp/err" | head -20
			fail=$((fail + 1))
		fi
		rm -rf "$d-out$j"
	done
}

for f in tests/fixtures/*/site.toml; do
	name=$(basename "$(dirname "$f")")
	model "$name"
	digest "$name"
done
model basic-history
digest basic-history
digest dossier
for t in hugo mdbook; do
	imported "$t"
done
bench_corpus 1000
echo "golden tree: $pass passed, $fail failed"
[ $fail -eq 0 ]
