#!/bin/sh
# The output folder's life (issue 11): it never contains, equals or sits
# inside the site's sources, whatever marks exist; permissions follow the
# umask; a kill -9 at any call of a build leaves the previous or the new
# output (the fault shim kills the build at each file-system call in turn)
# and the next build removes what the killed one left; concurrent builds
# serialise on a lock of the output's folder; the fallback without RENAME_EXCHANGE works; a
# failed write is never reported as success. Every case also checks that
# nothing outside the output folder changed (digest of the sources and the
# listing of the site folder).
#
#   DOSSIER=build/asan/dossier sh tests/e2e/output.sh   (default build/dossier)
#   KILL_STEP=N kills at every Nth call only (default 1: every call)
set -u
cd "$(dirname "$0")/../.." && err_lines=10 . tests/e2e/lib.sh
shim=${FAULT_SHIM:-build/fault/shim.so}
case $shim in /*) ;; *) shim="$top/$shim" ;; esac
if [ ! -f "$shim" ]; then
	${MAKE:-make} -s --no-print-directory build/fault/shim.so >/dev/null || { echo "FAIL: cannot build $shim"; exit 1; }
fi
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"

digest() {
	(cd "$1" && find . -printf '%y %m %p\n' | LC_ALL=C sort &&
		find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum
}
# Everything in the site folder but the output.
srcsum() { (cd "$1" && find . -path ./public -prune -o -print | LC_ALL=C sort &&
	find . -path ./public -prune -o -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum) | sha256sum; }

site="$tmp/site"
newsite() {
	rm -rf "$site"
	cp -R tests/fixtures/basic "$site"
	cp -R themes "$site/themes"
}

# --- the output folder keeps clear of the sources (finding 4) ------------------
# A pull request can commit mark files anywhere: at the root, in content/.
newsite
(cd "$site" && git init -q . && touch .dossier-output content/.dossier-output themes/.dossier-output)
ln -s content "$site/link"
before=$(srcsum "$site")
conflict() { # -o VALUE, expected message tail
	(cd "$site" && "$bin" build -q -o "$1") 2>"$tmp/err"
	st=$?
	printf '%s: error: output folder %s; refusing to write there\ndossier: build failed: 1 error; the previous output is unchanged\n' "$1" "$2" >"$tmp/want"
	check "-o $1: exit 1 naming the conflict" '[ $st -eq 1 ] && cmp -s "$tmp/want" "$tmp/err"'
	check "-o $1: nothing changed" '[ "$(srcsum "$site")" = "$before" ] && [ ! -e "$site/public" ]'
}
conflict . "is the repository ($site)"
conflict .. "contains the repository ($site)"
conflict "$site" "is the repository ($site)"
conflict .git "is the repository's .git ($site/.git)"
conflict .git/out "is inside the repository's .git ($site/.git)"
conflict content "is the content folder ($site/content)"
conflict content/out "is inside the content folder ($site/content)"
conflict ./content/../content/x/.. "is the content folder ($site/content)"
conflict link "is the content folder ($site/content)"
conflict link/deeper/out "is inside the content folder ($site/content)"
conflict themes "is the themes folder ($site/themes)"
conflict themes/dossier/static "is inside the themes folder ($site/themes)"
conflict site.toml "is the configuration file ($site/site.toml)"
# A site in a sub-folder of the repository: the repository root and the
# site folder are each refused.
mkdir "$tmp/repo"
mv "$site" "$tmp/repo/site"
site="$tmp/repo/site"
mv "$tmp/repo/site/.git" "$tmp/repo/.git"
before=$(srcsum "$site")
(cd "$site" && "$bin" build -q -o ..) 2>"$tmp/err"
check "-o the repository root from a sub-folder site: exit 1" '[ $? -eq 1 ] && grep -qxF "..: error: output folder is the repository ($tmp/repo); refusing to write there" "$tmp/err"'
(cd "$site" && "$bin" build -q -o ../site) 2>"$tmp/err"
check "-o the site folder: exit 1" '[ $? -eq 1 ] && grep -qxF "../site: error: output folder is the site folder ($site); refusing to write there" "$tmp/err"'
check "sub-folder site: nothing changed" '[ "$(srcsum "$site")" = "$before" ] && [ -d "$tmp/repo/.git" ]'
(cd "$site" && "$bin" build -q -o ../public) 2>"$tmp/err"
check "an output beside the site, inside the repository, is fine" '[ $? -eq 0 ] && [ -f "$tmp/repo/public/index.html" ]'
site="$tmp/site"

# --- permissions follow the umask (finding 8) ----------------------------------
newsite
(umask 022 && "$bin" build -C "$site" -q) 2>"$tmp/err"
check "umask 022: builds" '[ $? -eq 0 ]'
check "umask 022: folders 0755, the output folder too" '[ "$(find "$site/public" -type d -printf "%m\n" | sort -u)" = 755 ]'
check "umask 022: files 0644" '[ "$(find "$site/public" -type f -printf "%m\n" | sort -u)" = 644 ]'
(umask 077 && "$bin" build -C "$site" -q) 2>"$tmp/err"
check "umask 077: folders 0700, files 0600" '[ "$(find "$site/public" -type d -printf "%m\n" | sort -u)" = 700 ] && [ "$(find "$site/public" -type f -printf "%m\n" | sort -u)" = 600 ]'
(umask 002 && "$bin" build -C "$site" -q) 2>"$tmp/err"
check "umask 002: folders 0775, files 0664" '[ "$(find "$site/public" -type d -printf "%m\n" | sort -u)" = 775 ] && [ "$(find "$site/public" -type f -printf "%m\n" | sort -u)" = 664 ]'

# --- leftovers of interrupted builds are removed -------------------------------
newsite
"$bin" build -C "$site" -q 2>"$tmp/err"
mkdir "$site/public.tmp-abc123" "$site/public.old-XYZ789" "$site/public.tmp-keep12" "$site/public.tmp-short"
touch "$site/public.tmp-abc123/.dossier-output" "$site/public.tmp-abc123/index.html" "$site/public.tmp-keep12/mine"
echo 12345 >"$site/public.lock"
"$bin" build -C "$site" -q 2>"$tmp/err"
check "leftovers: builds" '[ $? -eq 0 ]'
check "leftovers: ours removed, others kept" '[ "$(ls -A "$site" | tr "\n" " ")" = "content public public.lock public.tmp-keep12 public.tmp-short site.toml themes " ] && [ -f "$site/public.tmp-keep12/mine" ] && [ "$(cat "$site/public.lock")" = 12345 ]'

# --- a kill -9 at each call leaves the previous or the new output --------------
newsite
"$bin" build -C "$site" -q 2>"$tmp/err"
cp -a "$site/public" "$tmp/previous"
old=$(digest "$tmp/previous")
printf '\nA paragraph added after the previous build.\n' >>"$site/content/_index.md"
# The shim runs below are on one thread (-j 1): call i must be the same
# operation in each (on threads, which page first writes into a new
# folder, and so makes it, varies).
FAULT_REPORT="$tmp/report" FAULT_TRACE="$tmp/trace" LD_PRELOAD="$shim" "$bin" build -j 1 -C "$site" -q 2>"$tmp/err"
new=$(digest "$site/public")
calls=$(sed -n 's/^calls //p' "$tmp/report")
check "kill: the new output differs ($calls calls)" '[ "$new" != "$old" ] && [ "${calls:-0}" -gt 0 ]'
rm -rf "$site/public"
cp -a "$tmp/previous" "$site/public"
src=$(srcsum "$site")
listing=$(ls -A "$site")
bad=0
sawnew=0
sawold=0
# Every KILL_STEP-th call, and always the last calls (the swap and after).
for i in $( (seq 1 "${KILL_STEP:-1}" "${calls:-0}"; seq $((${calls:-0} - 5)) "${calls:-0}") | sort -nu); do
	[ "$i" -ge 1 ] || continue
	FAULT_AT=$i FAULT_KILL=1 LD_PRELOAD="$shim" "$bin" build -j 1 -C "$site" -q 2>"$tmp/err"
	st=$?
	now=$(digest "$site/public")
	if [ "$now" = "$old" ]; then
		sawold=$((sawold + 1))
	elif [ "$now" = "$new" ]; then
		sawnew=$((sawnew + 1))
	else
		bad=$((bad + 1))
		echo "  kill at call $i: the output is neither the previous nor the new one"
	fi
	[ $st -eq 137 ] || { bad=$((bad + 1)); echo "  kill at call $i: exit $st"; }
	# The next build recovers: it succeeds and leaves nothing behind.
	"$bin" build -C "$site" -q 2>"$tmp/err"
	st=$?
	if [ $st -ne 0 ] || [ "$(digest "$site/public")" != "$new" ] || [ "$(ls -A "$site")" != "$listing" ]; then
		bad=$((bad + 1))
		echo "  after a kill at call $i: exit $st; $(ls -A "$site" | tr '\n' ' ')"
	fi
	rm -rf "$site/public"
	cp -a "$tmp/previous" "$site/public"
done
rm -f "$tmp/err"
check "kill -9 at each call: previous or new output, the next build cleans up" '[ $bad -eq 0 ]'
check "kill -9: both outcomes seen (previous $sawold, new $sawnew)" '[ $sawold -gt 0 ] && [ $sawnew -gt 0 ]'
check "kill -9: sources unchanged" '[ "$(srcsum "$site")" = "$src" ]'

# --- without RENAME_EXCHANGE: the fallback (two renames) ------------------------
n=$(grep -c '' "$tmp/trace")
x=$(sed -n 's/^\([0-9]*\) renameat2 .*/\1/p' "$tmp/trace")
check "the trace has the exchange" '[ -n "$x" ]'
FAULT_AT=$x FAULT_ERRNO=EINVAL LD_PRELOAD="$shim" "$bin" build -j 1 -C "$site" -q 2>"$tmp/err"
check "fallback: builds the new output, no litter" '[ $? -eq 0 ] && [ "$(digest "$site/public")" = "$new" ] && [ "$(ls -A "$site")" = "$listing" ]'
for k in 1 2; do
	rm -rf "$site/public"
	cp -a "$tmp/previous" "$site/public"
	FAULT_AT=$x FAULT_ERRNO=EINVAL FAULT_ALSO=$((x + k)):ENOSPC FAULT_REPORT="$tmp/report" LD_PRELOAD="$shim" \
		"$bin" build -j 1 -C "$site" -q 2>"$tmp/err"
	st=$?
	check "fallback, rename $k fails ($(sed -n 's/^failed //p' "$tmp/report")): exit 1, previous output, no litter" \
		'[ $st -eq 1 ] && grep -q ": error: .*No space left on device" "$tmp/err" && [ "$(digest "$site/public")" = "$old" ] && [ "$(ls -A "$site")" = "$listing" ]'
done
: "$n"

# --- concurrent builds into one output serialise ---------------------------------
newsite
"$bin" build -C "$site" -q 2>"$tmp/err"
want=$(digest "$site/public")
listing=$(ls -A "$site")
for k in 1 2 3 4; do
	("$bin" build -C "$site" -q 2>"$tmp/err$k"; echo $? >"$tmp/st$k") &
done
wait
allok=0
for k in 1 2 3 4; do [ "$(cat "$tmp/st$k")" = 0 ] && [ ! -s "$tmp/err$k" ] && allok=$((allok + 1)); done
check "four concurrent builds all succeed ($allok of 4)" '[ $allok -eq 4 ]'
check "concurrent builds: the output is whole, no litter" '[ "$(digest "$site/public")" = "$want" ] && [ "$(ls -A "$site")" = "$listing" ]'
# A build waits for the lock's holder, whoever it is: this shell locks the
# output's folder (the build does not inherit the descriptor) and releases
# it after the build has started; the build then runs.
exec 9<"$site"
flock 9
"$bin" build -C "$site" -q -v >/dev/null 2>"$tmp/err" 9<&- &
builder=$!
exec 9<&-
wait $builder
st=$?
check "a build waits for the lock's holder, then runs, leaving nothing" '[ $st -eq 0 ] && [ "$(ls -A "$site")" = "$listing" ] && [ "$(digest "$site/public")" = "$want" ]'

# --- a failed write is never success (finding 3) ---------------------------------
newsite
chmod a-w "$site"
if [ "$(id -u)" = 0 ]; then
	# root ignores the mode; the shim makes the mark file's write fail.
	chmod u+w "$site"
	"$bin" build -C "$site" -q 2>"$tmp/err"
	FAULT_TRACE="$tmp/trace2" LD_PRELOAD="$shim" "$bin" build -j 1 -C "$site" -q 2>"$tmp/err"
	rm -rf "$site/public"
	m=$(sed -n 's|^\([0-9]*\) open .*/public\.tmp-[A-Za-z0-9]*/\.dossier-output$|\1|p' "$tmp/trace2" | head -n 1)
	FAULT_AT=$((m + 1)) LD_PRELOAD="$shim" "$bin" build -j 1 -C "$site" 2>"$tmp/err"
else
	"$bin" build -C "$site" 2>"$tmp/err"
fi
st=$?
check "mark file not writable: exit 1, no 'built' line, the summary" '[ $st -eq 1 ] && ! grep -q "built" "$tmp/err" && grep -q ": error: " "$tmp/err" && [ "$(tail -n 1 "$tmp/err")" = "dossier: build failed: 1 error; the previous output is unchanged" ]'
chmod u+w "$site"
check "mark file not writable: no output, no litter" '[ "$(ls -A "$site" | tr "\n" " ")" = "content site.toml themes " ]'

finish output
