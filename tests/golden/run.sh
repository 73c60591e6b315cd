#!/bin/sh
# make golden. First tests/golden/tree.sh: each fixture's model
# (`dossier build --dump-model`) against tests/golden/model/, and the sha256
# of every output file of the dossier and each fixture against
# tests/golden/digests/. `tests/golden/run.sh --update` rewrites those
# goldens after an intended change (the commit says why) and stops there.
#
# Then the article importer against its labelled corpus and the dossier's own
# articles (issue 14): heading precision and recall over tests/golden/import/,
# and the word-level round trip of every scrape, every expected Markdown file
# and every article of content/articles/ (whose text must equal its seed in
# ../shared/seeds/ when that folder is present).
set -eu
cd "$(dirname "$0")/../.."
if [ "${1:-}" = "--update" ]; then
	exec sh tests/golden/tree.sh --update
fi
tree=0
sh tests/golden/tree.sh || tree=1
bin=build/import-check
shared=${SHARED:-../shared}
[ -x "$bin" ] || { echo "golden: $bin missing (make build/import-check)"; exit 1; }
set -- tests/golden/import/*.txt content/articles/*.txt
if [ -d "$shared/seeds" ]; then
	"$bin" --seeds "$shared/seeds" "$@" || exit 1
else
	echo "golden: $shared/seeds absent: skipping the comparison of articles with their seeds"
	"$bin" "$@" || exit 1
fi
exit $tree
