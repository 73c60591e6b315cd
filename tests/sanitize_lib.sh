# Shared by tests/asan.sh and tests/tsan.sh (sourced, not run): the
# project's dossier and every fixture site built by a sanitized binary, in
# safe and in unsafe Markdown mode, and the sanitizer reports summed up.
#
# The sourcing script sets: name (asan or tsan, for the log lines), bin
# (the binary), tmp (a scratch folder with reports/ in it), failed (the
# failures so far), and optionally build_args (extra `dossier build`
# arguments, e.g. -j 4).

# A copy of a site's configuration with [markdown] unsafe set to $2.
with_unsafe() {
	awk -v v="$2" '
		/^\[/ { if (inmd && !done) { print "unsafe = " v; done = 1 } inmd = ($0 == "[markdown]") }
		inmd && /^unsafe[ \t]*=/ { if (!done) print "unsafe = " v; done = 1; next }
		{ print }
		END { if (inmd && !done) print "unsafe = " v; else if (!done) print "\n[markdown]\nunsafe = " v }
	' "$1"
}

# build_site NAME SITE-DIR must|may: builds it in both modes; exit 0 or 1
# (content errors) is fine for a "may" site, the sanitizer decides; a
# "must" site (the project's own dossier) must build.
build_site() {
	for mode in false true; do
		with_unsafe "$2/site.toml" $mode >"$tmp/site-$mode.toml"
		rm -rf "$tmp/out"
		# shellcheck disable=SC2086 # build_args is a list of words
		"$bin" build ${build_args:-} -C "$2" --config "$tmp/site-$mode.toml" -o "$tmp/out" -q >"$tmp/log" 2>&1
		st=$?
		grep -q "^unsafe = $mode\$" "$tmp/site-$mode.toml" || st=99
		echo "== $name: build $1 (unsafe = $mode): exit $st"
		if [ $st -gt 1 ] || { [ "$3" = must ] && [ $st -ne 0 ]; }; then
			sed 's/^/    /' "$tmp/log" | tail -n 30
			failed="$failed build:$1:$mode"
		fi
	done
}

# build_all_sites: the project's dossier and the bench corpus (must
# build; $top/build/gen-site must exist), then every fixture,
# each from a copy with the project's themes beside it when it has none.
build_all_sites() {
	build_site "the project's dossier" . must
	# The scale benchmark's corpus at 1,000 pages with its history
	# (tests/bench/gen_site.c): the thread pools, the node pool, the
	# search shards and the paged lists at a size no fixture reaches.
	rm -rf "$tmp/bench"
	if git init -q -b main "$tmp/bench" && "$top/build/gen-site" 1000 |
		GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null git -C "$tmp/bench" fast-import --quiet &&
		git -C "$tmp/bench" reset -q --hard main; then
		cp -R themes "$tmp/bench/themes"
		build_site "the 1,000-page bench corpus" "$tmp/bench" must
	else
		echo "== $name: generating the 1,000-page bench corpus failed"
		failed="$failed bench-corpus"
	fi
	rm -rf "$tmp/bench"
	for s in tests/fixtures/*/; do
		[ -f "$s/site.toml" ] || continue
		rm -rf "$tmp/fixture"
		cp -R "$s" "$tmp/fixture"
		[ -d "$tmp/fixture/themes" ] || cp -R themes "$tmp/fixture/themes"
		build_site "$s" "$tmp/fixture" may
	done
}

# reports LINES: any file in $tmp/reports fails the run; the first few are
# shown, LINES lines each.
reports() {
	n=$(find "$tmp/reports" -type f | wc -l)
	[ "$n" -gt 0 ] || return 0
	echo "$name: $n sanitizer report(s); the first ones:"
	for r in $(ls "$tmp/reports" | head -n 5); do
		echo "--- $r"
		head -n "$1" "$tmp/reports/$r"
	done
	failed="$failed reports"
}
