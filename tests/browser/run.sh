#!/bin/sh
# Browser tests of the generated site (issue 8): `make browser`, part of
# `make check`. Needs node, Debian's chromium and the npm packages pinned in
# tests/browser/package.json (installed here when missing; no lock file is
# written). Builds public/ with ./build/dossier when it is missing.
#
# Skips, loudly and with exit status 0, only when node or a browser cannot
# be installed. Everything else that is missing is a failure.
set -u
cd "$(dirname "$0")/../.." || exit 2
dir=tests/browser
chromium=${CHROMIUM:-/usr/bin/chromium}

skip() {
	echo "########################################################################"
	echo "# SKIPPED: browser tests not run: $1"
	echo "# Install it (make deps) and rerun: make browser"
	echo "########################################################################"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}
fail() {
	echo "browser: $1" >&2
	echo "0 passed, 1 failed"
	exit 1
}

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1 ||
	[ ! -x "$chromium" ]; then
	echo "browser: node, npm or chromium missing; trying to install them"
	sh tests/deps.sh nodejs npm chromium default-jre-headless || true
fi
command -v node >/dev/null 2>&1 || skip "node is not installed and could not be installed"
[ -x "$chromium" ] || skip "no browser at $chromium and it could not be installed"

# The pinned versions installed? (npm install is a no-op when they are.)
if ! node -e '
	const fs = require("fs"), dir = process.argv[1];
	const want = JSON.parse(fs.readFileSync(dir + "/package.json")).devDependencies;
	for (const [name, v] of Object.entries(want)) {
		const f = dir + "/node_modules/" + name + "/package.json";
		if (!fs.existsSync(f) || JSON.parse(fs.readFileSync(f)).version !== v) process.exit(1);
	}' "$dir" 2>/dev/null; then
	command -v npm >/dev/null 2>&1 || skip "npm is not installed, so playwright-core cannot be"
	echo "browser: installing $dir/package.json's packages from npm"
	(cd "$dir" && npm install --no-audit --no-fund --no-package-lock) ||
		skip "npm install failed: playwright-core, axe-core and vnu-jar could not be installed"
fi

# Build public/ when it is missing or older than the generator or the
# sources (`make site` normally has built it).
stale=
if [ ! -f public/index.html ]; then
	stale="public/ is missing"
elif [ -n "$(find build/dossier site.toml content themes -newer public/index.html 2>/dev/null | head -n 1)" ]; then
	stale="public/ is older than its sources"
fi
if [ -n "$stale" ]; then
	echo "browser: $stale; building it with ./build/dossier build"
	if [ ! -x build/dossier ]; then
		make --no-print-directory build/dossier || fail "cannot build build/dossier"
	fi
	./build/dossier build || fail "./build/dossier build failed"
fi

exec node "$dir/main.mjs"
