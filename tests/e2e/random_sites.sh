#!/bin/sh
# Random whole sites (tests/e2e/random_sites.py): 40 seeded dossiers, each
# built valid and then with up to four random mutations (GFM nobody wrote,
# broken references, bad headers, control bytes, a byte order mark and
# CRLF, links and imports that climb out of the site or the theme, links
# to a secret outside it), every build checked against the README's
# promises: exit status and diagnostics, nothing written or published
# outside the output, the previous output kept on failure, -j 1 = -j 4,
# every link and fragment of the output resolving, no script or URL from
# content in safe mode. RANDOM_SITES=N and RANDOM_SEED=S choose others.
# Prints "N passed, N failed".
set -u
cd "$(dirname "$0")/../.." && . tests/e2e/lib.sh
command -v python3 >/dev/null || { echo "random sites: python3 missing"; exit 1; }
command -v git >/dev/null || { echo "random sites: git missing"; exit 1; }
python3 tests/e2e/random_sites.py "$bin" "$tmp" "${RANDOM_SITES:-40}" "${RANDOM_SEED:-1}"
