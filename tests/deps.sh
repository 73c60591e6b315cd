#!/bin/sh
# Installs the Debian packages named on the command line that are missing:
# with apt-get when run as root, otherwise prints the exact command and fails.
# Also installs the browser-test tools from npm (tests/browser/package.json).
set -u
missing=""
for p in "$@"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		# nodejs/npm may come from elsewhere (nodesource, nvm): a working
		# binary on PATH is enough.
		case "$p" in
		nodejs) command -v node >/dev/null 2>&1 && continue ;;
		npm) command -v npm >/dev/null 2>&1 && continue ;;
		python3) command -v python3 >/dev/null 2>&1 && continue ;;
		default-jre-headless) command -v java >/dev/null 2>&1 && continue ;;
		esac
		missing="$missing $p"
	fi
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" = 0 ]; then
		echo "deps: installing$missing"
		apt-get update -qq &&
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing ||
			{ echo "deps: apt-get failed" >&2; exit 1; }
	else
		echo "deps: missing Debian packages; run:" >&2
		echo "  sudo apt-get install -y$missing" >&2
		exit 1
	fi
fi
if [ -f tests/browser/package.json ] && [ ! -d tests/browser/node_modules/playwright-core ]; then
	echo "deps: installing browser-test tools from npm"
	(cd tests/browser && npm install --no-audit --no-fund --no-package-lock --silent) ||
		echo "deps: npm install failed; browser tests will say so" >&2
fi
exit 0
