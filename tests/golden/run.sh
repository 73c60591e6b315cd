#!/bin/sh
# The article importer against its labelled corpus and the dossier's own
# articles (issue 14): heading precision and recall over tests/golden/import/,
# and the word-level round trip of every scrape, every expected Markdown file
# and every article of content/articles/ (whose text must equal its seed in
# ../shared/seeds/ when that folder is present).
set -eu
cd "$(dirname "$0")/../.."
bin=build/import-check
shared=${SHARED:-../shared}
[ -x "$bin" ] || { echo "golden: $bin missing (make build/import-check)"; exit 1; }
set -- tests/golden/import/*.txt content/articles/*.txt
if [ -d "$shared/seeds" ]; then
	exec "$bin" --seeds "$shared/seeds" "$@"
fi
echo "golden: $shared/seeds absent: skipping the comparison of articles with their seeds"
exec "$bin" "$@"
