#!/bin/sh
# Random edits in a running `dossier serve` (tests/e2e/random_serve.py):
# 3 random sites of random_sites.py, 15 random edits each (text with
# mentions, citations and links, lines removed, headings renamed, broken
# links added and taken out, article paragraphs reworded, aliases, pages
# added, deleted and renamed; the theme's template or Sass and site.toml
# edited; every other site with a git history, pages put back
# as committed, `git checkout -- content`, commits), saved as editors save (renamed over the file, or
# in place in two writes), now and then several in a burst that lands
# while the server rebuilds; after each rebuild the served
# output must equal a fresh `dossier build` of the tree, or, when that
# build fails, the server's must have failed too and kept the last good
# output. VERBOSE=1 prints each edit and the server's log line.
# RANDOM_SERVE="SITES EDITS SEED" chooses others. Prints "N
# passed, N failed".
set -u
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh
command -v python3 >/dev/null || { echo "random serve: python3 missing"; exit 1; }
# shellcheck disable=SC2086 # three numbers
python3 tests/e2e/random_serve.py "$bin" "$tmp" ${RANDOM_SERVE:-3 15 1}
