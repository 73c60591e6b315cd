#!/bin/sh
# A fuzzing campaign: each target in turn (one at a time, under nice) for
# the seconds given as target=seconds arguments, crashes collected rather
# than stopping the run (libFuzzer fork mode, one job). Logs, new corpus
# and crash inputs go under build/fuzz/campaign/; a summary table
# (seconds, execs/s, corpus size, crashes) is printed at the end.
#   sh tests/fuzz/campaign.sh fuzz_toml=300 fuzz_markdown=600 ...
set -u
cd "$(dirname "$0")/../.."
out=build/fuzz/campaign
mkdir -p "$out/bin"
for arg in "$@"; do
	n=${arg%%=*}
	secs=${arg#*=}
	# A copy, so rebuilding build/fuzz/ during the campaign changes nothing.
	cp "build/fuzz/$n" "$out/bin/$n" || exit 1
	mkdir -p "build/fuzz/corpus/$n" "$out/crashes/$n"
	start=$(date +%s)
	nice -n 19 "$out/bin/$n" -fork=1 -ignore_crashes=1 -ignore_timeouts=1 \
		-ignore_ooms=1 -timeout=10 -rss_limit_mb=2048 -max_total_time="$secs" \
		-artifact_prefix="$out/crashes/$n/" \
		"build/fuzz/corpus/$n" "tests/fuzz/corpus/$n" >"$out/$n.log" 2>&1
	end=$(date +%s)
	stats=$(grep -E '^#[0-9]+: cov' "$out/$n.log" | tail -1)
	execs=$(echo "$stats" | sed -E 's/^#([0-9]+):.*/\1/')
	corp=$(ls "build/fuzz/corpus/$n" | wc -l)
	crashes=$(ls "$out/crashes/$n" | wc -l)
	echo "$n seconds=$((end - start)) execs=${execs:-0} execs_per_s=$(( ${execs:-0} / ((end - start) > 0 ? (end - start) : 1) )) corpus=$corp crashes=$crashes" | tee -a "$out/summary.txt"
done
