#!/bin/sh
# Adversarial inputs (issue 11, finding 12): `dossier build` of one hostile
# site per kind at two sizes, n and 10n, with the wall time, the peak RSS
# and the growth ratios (10n / n). Linear cost gives ratios near 10; a
# quadratic path near 100. Figures only: nothing passes or fails on time.
#
# Environment: ADV_DIR (default /tmp/dossier-adversarial) holds the sites;
# ADV_TIMEOUT (default 600) bounds each build in seconds; ADV_CASES picks
# cases ("kind:n ..."), default the sizes of finding 12.
set -u
cd "$(dirname "$0")/../.."
ADV_DIR=${ADV_DIR:-/tmp/dossier-adversarial}
ADV_TIMEOUT=${ADV_TIMEOUT:-600}
ADV_CASES=${ADV_CASES:-article:10 emphasis:2000 lists:2000 quotes:2000 annotations:1000 aliases:1000 aliases-utf8:1000 cooccur:1000 emphasis-entities:1000 toml-keys:10000 heading-links:20000 quote-long:1000 quote-wrong:1000 yaml-deep:20000}
bin=$(pwd)/build/dossier
[ -x "$bin" ] || { echo "adversarial: build/dossier missing (make all)"; exit 1; }

# Prints "wall_s peak_MB status" for one build (status: exit code, or
# "timeout", or "sigN").
measure() {
	dir=$1
	/usr/bin/time -f '%e %M' -o "$dir/time" timeout "$ADV_TIMEOUT" \
		"$bin" build -C "$dir" -q >"$dir/out" 2>"$dir/err"
	rc=$?
	status=$rc
	[ $rc -eq 124 ] && status=timeout
	[ $rc -gt 128 ] && [ $rc -ne 124 ] && status="sig$((rc - 128))"
	tail -1 "$dir/time" | awk -v s="$status" '{ printf "%s %.0f %s", $1, $2 / 1024, s }'
}

echo "== adversarial inputs: dossier build at n and 10n (wall s, peak MB, exit status)"
printf '%-12s %9s %8s %8s %-7s %9s %8s %8s %-7s %7s %7s\n' \
	case n wall_s peak_MB status 10n wall_s peak_MB status t_ratio m_ratio
mkdir -p "$ADV_DIR"
for c in $ADV_CASES; do
	kind=${c%%:*}
	n=${c#*:}
	row=""
	for size in "$n" $((n * 10)); do
		dir="$ADV_DIR/$kind-$size"
		rm -rf "$dir"
		python3 tests/bench/adversarial_gen.py "$kind" "$size" "$dir" || exit 1
		rm -rf "$dir/themes"; cp -R themes "$dir/themes"
		row="$row $(measure "$dir")"
		rm -rf "$dir/content" "$dir/public"
	done
	unit=""
	[ "$kind" = article ] && unit=MB
	echo "$kind $n$unit $((n * 10))$unit $row" | awk '{
		t = ($4 > 0 ? $7 / $4 : 0); m = ($5 > 0 ? $8 / $5 : 0)
		printf "%-12s %9s %8s %8s %-7s %9s %8s %8s %-7s %7.1f %7.1f\n",
			$1, $2, $4, $5, $6, $3, $7, $8, $9, t, m }'
done

# --- the modules alone, in process (CPU seconds) ---------------------------
ADV_LIB_CASES=${ADV_LIB_CASES:-annotate-paras:1000 annotate-selectors:1000 annotate-oneblock:1000 matcher:1000}
make -s build/libdossier.a >/dev/null 2>&1 || { echo "adversarial: build/libdossier.a does not build"; exit 1; }
mkdir -p build/bench
${CC:-cc} -std=c11 -O2 -D_DEFAULT_SOURCE -D_XOPEN_SOURCE=700 $(pkg-config --cflags libcmark-gfm) \
	-iquote generator/lib -iquote generator/model -iquote generator/load -iquote generator/link -iquote generator/render -iquote generator/cmd -o build/bench/adversarial_lib tests/bench/adversarial_lib.c build/libdossier.a \
	$(pkg-config --libs libcmark-gfm libsass libgit2 libcurl libutf8proc yaml-0.1 libzip) -lmicrohttpd -lstemmer -lm -lpthread || exit 1
echo
echo "== the modules alone: annotate_apply, matcher build + scan of 1 MB (CPU s, peak MB)"
printf '%-19s %7s %8s %8s %8s %8s %8s %7s\n' case n cpu_s peak_MB 10n cpu_s peak_MB t_ratio
for c in $ADV_LIB_CASES; do
	kind=${c%%:*}
	n=${c#*:}
	a=$(build/bench/adversarial_lib "$kind" "$n")
	b=$(build/bench/adversarial_lib "$kind" $((n * 10)))
	echo "$a $b" | awk '{ t = ($3 > 0 ? $8 / $3 : 0)
		printf "%-19s %7s %8s %8s %8s %8s %8s %7.1f%s\n", $1, $2, $3, $4, $7, $8, $9, t,
			($5 == "ok" && $10 == "ok") ? "" : "  (failed)" }'
done
