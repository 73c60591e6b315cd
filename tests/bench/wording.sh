#!/bin/sh
# Shared-wording benchmark (issue 16): wording_find() on generated text of
# growing size. Prints figures; nothing here passes or fails on time.
set -eu
cd "$(dirname "$0")/../.."
CC=${CC:-cc}
make -s build/libdossier.a
mkdir -p build/bench
$CC -std=c11 -Wall -Wextra -O2 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 -iquote generator/lib -iquote generator/model -iquote generator/load -iquote generator/link -iquote generator/render -iquote generator/cmd \
	-o build/bench/bench_wording tests/bench/bench_wording.c build/libdossier.a $(pkg-config --libs libutf8proc)
echo "== shared wording: 6-word shingles hashed once, 50 documents"
build/bench/bench_wording "$@"
