#!/bin/sh
# History tests (issue 5): builds fixture repositories with the git CLI in a
# temporary folder and checks generator/load/history.c against git itself: for
# every file, `history_dump --hashes` must equal
# `git log --follow --format=%H -- FILE`, plus checks for shallow clones, a
# folder outside any repository, uncommitted changes, odd subjects, .mailmap,
# .git-blame-ignore-revs and time zones. Prints `N passed, N failed`.
#
#   sh tests/history/run.sh            (from the repository root)
#
# DUMP=path uses an already built driver (e.g. an ASan build); otherwise the
# driver is `make build/bench/history-dump` (tests/history/history_dump.c).
set -u
ROOT=$(pwd)
if [ -z "${DUMP:-}" ]; then
	# The Makefile's rule, so the driver links what libdossier.a needs.
	${MAKE:-make} -s --no-print-directory build/bench/history-dump >/dev/null || exit 1
	DUMP=$ROOT/build/bench/history-dump
fi

T=$(mktemp -d "${TMPDIR:-/tmp}/dossier-history.XXXXXX") || exit 1
if [ -n "${KEEP:-}" ]; then echo "keeping $T"; else trap 'rm -rf "$T"' EXIT INT TERM; fi
# A git that ignores the user's configuration and gives fixed identities.
export HOME="$T" GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL="$T/gitconfig"
export GIT_AUTHOR_NAME="Ada Author" GIT_AUTHOR_EMAIL="ada@example.org"
export GIT_COMMITTER_NAME="Ada Author" GIT_COMMITTER_EMAIL="ada@example.org"
git config --global init.defaultBranch main
git config --global commit.gpgsign false
git config --global merge.conflictstyle merge
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

passed=0
failed=0
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; }

# commit [git commit args]: one commit a minute later than the last one (so
# the order of the walk is git's, not the accident of equal seconds).
TICK=1737950400 # 2025-01-27T04:00:00Z
TZ_GIT=+0000
commit() {
	TICK=$((TICK + 60))
	GIT_AUTHOR_DATE="@$TICK $TZ_GIT" GIT_COMMITTER_DATE="@$TICK $TZ_GIT" \
		git commit -q --allow-empty-message "$@"
}
merge() {
	TICK=$((TICK + 60))
	GIT_AUTHOR_DATE="@$TICK $TZ_GIT" GIT_COMMITTER_DATE="@$TICK $TZ_GIT" \
		git merge -q --no-edit --no-ff "$@" >/dev/null 2>&1
}
# raw_commit MESSAGE: a commit of the index whose message has exactly the
# bytes of `printf MESSAGE` (git commit would repair invalid UTF-8).
raw_commit() {
	TICK=$((TICK + 60))
	{
		echo "tree $(git write-tree)"
		git rev-parse -q --verify HEAD >/dev/null && echo "parent $(git rev-parse HEAD)"
		echo "author $GIT_AUTHOR_NAME <$GIT_AUTHOR_EMAIL> $TICK $TZ_GIT"
		echo "committer $GIT_COMMITTER_NAME <$GIT_COMMITTER_EMAIL> $TICK $TZ_GIT"
		echo
		printf "$1\n"
	} >"$T/raw"
	git update-ref HEAD "$(git hash-object -t commit -w "$T/raw")"
}
# text NAME [N]: N lines (default 12) of words drawn from a generator seeded
# by NAME, so that unrelated files share nothing (git's and libgit2's rename
# detection then agree, and no file looks like a copy of another).
text() {
	awk -v name="$1" -v n="${2:-12}" 'BEGIN {
		for (i = 33; i < 127; i++) ord[sprintf("%c", i)] = i
		s = 7
		for (i = 1; i <= length(name); i++) s = (s * 131 + ord[substr(name, i, 1)]) % 2147483647
		for (l = 1; l <= n; l++) {
			line = ""
			for (w = 0; w < 8; w++) {
				s = (s * 48271) % 2147483647
				word = ""
				for (k = 0; k < 3 + s % 6; k++) {
					s = (s * 48271) % 2147483647
					word = word sprintf("%c", 97 + s % 26)
				}
				line = line (w ? " " : "") word
			}
			print line
		}
	}'
}
# edit FILE N WORD: replaces line N of FILE.
edit() { sed -i "${2}s/.*/$3 (edited line $2)/" "$1"; }

# follow_all REPO [NAME]: for every file of REPO/content at HEAD, compares
# history_dump with git log --follow.
follow_all() {
	(cd "$1/content" && git ls-files) >"$T/files"
	while IFS= read -r f; do
		"$DUMP" --hashes "$1/content" "$f" >"$T/ours" 2>"$T/err"
		rc=$?
		git -C "$1" log --follow --format=%H -- "content/$f" >"$T/theirs"
		if [ $rc = 0 ] && cmp -s "$T/ours" "$T/theirs"; then
			ok "${2:-$(basename "$1")}: $f follows like git log --follow"
		else
			bad "${2:-$(basename "$1")}: $f differs from git log --follow"
			diff "$T/theirs" "$T/ours" | sed 's/^/     /'
			sed 's/^/     /' "$T/err"
		fi
	done <"$T/files"
}

# blobs_like_git REPO [NAME]: every change's blob ids, kept by the walk,
# equal `git rev-parse COMMIT:PATH` (none for a deletion) and
# `git rev-parse COMMIT^:OLD_PATH` (none for an addition).
blobs_like_git() {
	name="${2:-$(basename "$1")}: blob ids of every change are git's"
	if ! "$DUMP" --blob-ids "$1/content" >"$T/ids" 2>"$T/err" || ! [ -s "$T/ids" ]; then
		bad "$name"
		sed 's/^/     /' "$T/err"
		return
	fi
	wrong=0
	while read -r commit status path blob oldpath oldblob; do
		want=-
		[ "$status" = D ] || want=$(git -C "$1" rev-parse -q --verify "$commit:$path")
		wold=-
		[ "$status" = A ] || wold=$(git -C "$1" rev-parse -q --verify "$commit^:$oldpath")
		if [ "$blob" != "$want" ] || [ "$oldblob" != "$wold" ]; then
			wrong=$((wrong + 1))
			echo "     $commit $status $path: $blob $oldblob, git: $want $wold"
		fi
	done <"$T/ids"
	if [ "$wrong" = 0 ]; then ok "$name"; else bad "$name"; fi
}

# expect NAME COMMAND...: a check that must hold.
expect() {
	name=$1
	shift
	if "$@"; then ok "$name"; else bad "$name"; fi
}

# --- linear history -------------------------------------------------------
R=$T/linear
git init -q "$R" && cd "$R" || exit 1
mkdir -p content/topics
text alpha >content/a.md && git add . && commit -m "add a"
edit content/a.md 3 "alpha three" && git add . && commit -m "edit a"
text cee >content/topics/c.md && git add . && commit -m "add c"
echo readme >README && git add . && commit -m "outside content"
edit content/a.md 5 five && edit content/topics/c.md 1 one && git add . && commit -m "both"
printf 'binary\0data' >content/img.bin && git add . && commit -m "binary"
cd "$ROOT"
follow_all "$R"
blobs_like_git "$R"
"$DUMP" "$R/content" >"$T/dump" 2>"$T/err"
expect "linear: line stats of an edit are +1 -1" \
	grep -q "^  $(git -C "$R" rev-parse HEAD~1) M +1 -1 content/a.md " "$T/dump"
expect "linear: an addition counts its lines" \
	grep -q " A +12 -0 content/topics/c.md " "$T/dump"
expect "linear: no diagnostics" test ! -s "$T/err"
"$DUMP" --blobs "$R/content" a.md 0 >"$T/blobs"
expect "linear: history_blobs gives the old and the new text" \
	sh -c "test \$(sed -n '/^--- old/,/^--- new/p' '$T/blobs' | grep -c 'five (edited')  = 0 &&
	       test \$(grep -c 'five (edited' '$T/blobs') = 1 &&
	       test \$(grep -c 'alpha three (edited' '$T/blobs') = 2"

# --- renames --------------------------------------------------------------
R=$T/renames
git init -q "$R" && cd "$R" || exit 1
mkdir -p content/topics drafts
text old >content/old.md && text keep >content/keep.md && git add . && commit -m "add old"
edit content/old.md 2 two && git add . && commit -m "edit old"
git mv content/old.md content/new.md && commit -m "pure rename"
edit content/new.md 4 four && git add . && commit -m "edit new"
git mv content/new.md content/topics/newer.md && edit content/topics/newer.md 6 six &&
	git add . && commit -m "rename and edit"
text draft >drafts/d.md && git add . && commit -m "draft outside content"
edit drafts/d.md 3 three && git add . && commit -m "edit draft"
git mv drafts/d.md content/d.md && commit -m "publish draft"
text reused >content/keep2.md && git add . && commit -m "add keep2"
git mv content/keep.md content/kept.md && commit -m "keep -> kept"
text brandnew >content/keep.md && git add . && commit -m "new file under an old name"
cd "$ROOT"
follow_all "$R"
blobs_like_git "$R"
"$DUMP" "$R/content" >"$T/dump" 2>"$T/err"
expect "renames: a pure rename is R, +0 -0" \
	grep -q " R +0 -0 content/new.md <- content/old.md " "$T/dump"
expect "renames: rename + edit is C with line stats" \
	grep -q " C +1 -1 content/topics/newer.md <- content/new.md " "$T/dump"
expect "renames: followed from outside the content folder" \
	grep -q " R +0 -0 content/d.md <- drafts/d.md " "$T/dump"
expect "renames: 'updated' skips pure renames" \
	grep -q "^file kept.md n=2 added=.* updated=$(git -C "$R" rev-parse --short=7 HEAD~10)" "$T/dump"

# --- merges ---------------------------------------------------------------
R=$T/merges
git init -q "$R" && cd "$R" || exit 1
mkdir content
text main >content/m.md && text side >content/s.md && text other >content/o.md &&
	git add . && commit -m "base"
git checkout -q -b side
edit content/m.md 2 side-two && git add . && commit -m "side edits m"
edit content/s.md 2 side-s && git add . && commit -m "side edits s"
git checkout -q main
edit content/o.md 2 main-o && git add . && commit -m "main edits o"
merge side -m "merge side (m comes from side)"
git checkout -q -b side2
edit content/m.md 5 side2-five && git add . && commit -m "side2 edits m"
git checkout -q main
edit content/m.md 9 main-nine && git add . && commit -m "main edits m"
merge side2 -m "merge side2 (both sides changed m)"
git checkout -q -b side3
edit content/m.md 11 discarded && git add . && commit -m "side3 edit, discarded by -s ours"
git checkout -q main
merge -s ours side3 -m "merge side3 -s ours"
git checkout -q -b side4
edit content/m.md 1 side4-one && git add . && commit -m "side4 edits line 1"
git checkout -q main
edit content/m.md 1 main-one && git add . && commit -m "main edits line 1"
merge side4 -m "conflict"
git checkout -q --ours content/m.md && edit content/m.md 1 resolved && git add . &&
	commit -m "merge side4 with a resolution"
git checkout -q -b side5
git mv content/s.md content/t.md && commit -m "side5 renames s -> t"
git checkout -q main
edit content/s.md 7 main-seven && git add . && commit -m "main edits s"
merge side5 -m "merge side5 (rename on one side, edit on the other)"
cd "$ROOT"
follow_all "$R"
blobs_like_git "$R"
expect "merges: merge commits are not listed (git --follow does not simplify)" \
	sh -c "! '$DUMP' '$R/content' | grep -q '| merge'"

# --- clock skew: git's walk order, not a topological one ------------------
R=$T/skew
git init -q "$R" && cd "$R" || exit 1
mkdir content
text skew >content/k.md && text other >content/o.md && git add . && commit -m "base"
git checkout -q -b side
TICK=$((TICK - 100000))
edit content/k.md 2 past && git add . && commit -m "side commit dated in the past"
TICK=$((TICK + 200000))
git checkout -q main
git mv content/k.md content/k2.md && commit -m "main renames k"
edit content/k2.md 8 eight && git add . && commit -m "main edits k2"
merge side -m "merge skewed side"
edit content/k2.md 9 nine && git add . && commit -m "after"
cd "$ROOT"
follow_all "$R"
blobs_like_git "$R"

# --- delete and re-add -----------------------------------------------------
R=$T/readd
git init -q "$R" && cd "$R" || exit 1
mkdir content
text gone >content/r.md && text stay >content/x.md && git add . && commit -m "add r"
edit content/r.md 1 one && git add . && commit -m "edit r"
git rm -q content/r.md && commit -m "delete r"
edit content/x.md 1 x && git add . && commit -m "meanwhile"
text back >content/r.md && git add . && commit -m "re-add r"
edit content/r.md 2 two && git add . && commit -m "edit r again"
cd "$ROOT"
follow_all "$R"
blobs_like_git "$R"
"$DUMP" "$R/content" >"$T/dump"
expect "readd: the deletion is listed as D" grep -q " D +0 -12 content/r.md " "$T/dump"

# --- copies: the one known difference from git --follow --------------------
R=$T/copy
git init -q "$R" && cd "$R" || exit 1
mkdir content
text src >content/src.md && git add . && commit -m "add src"
edit content/src.md 2 two && git add . && commit -m "edit src"
cp content/src.md content/copy.md && edit content/copy.md 5 five && git add . &&
	commit -m "copy src"
cd "$ROOT"
"$DUMP" --hashes "$R/content" copy.md >"$T/ours"
git -C "$R" log --follow --format=%H -- content/copy.md >"$T/theirs"
expect "copy (known difference): git follows copies, we start the copy's own history" \
	sh -c "test \$(wc -l <'$T/ours') = 1 && test \$(wc -l <'$T/theirs') = 3"

# --- shallow clone --------------------------------------------------------
for depth in 1 3 6; do
	S=$T/shallow$depth
	git clone -q --depth $depth "file://$T/merges" "$S" 2>/dev/null
	(cd "$S/content" && git ls-files) >"$T/files"
	"$DUMP" "$S/content" >"$T/dump" 2>"$T/err"
	expect "shallow --depth $depth: one warning" \
		test "$(grep -c 'warning: shallow clone: history is truncated; fetch full history with git fetch --unshallow' "$T/err")" = 1
	while IFS= read -r f; do
		# git shows a boundary commit as adding every file it holds; we
		# list what we know and mark the file truncated instead.
		git -C "$S" log --follow --format=%H -- "content/$f" >"$T/theirs"
		grep -v -F -f "$S/.git/shallow" "$T/theirs" >"$T/expected"
		"$DUMP" --hashes "$S/content" "$f" >"$T/ours" 2>/dev/null
		expect "shallow --depth $depth: $f = git log --follow minus boundary" \
			cmp -s "$T/ours" "$T/expected"
		if grep -q -F -f "$S/.git/shallow" "$T/theirs"; then
			expect "shallow --depth $depth: $f truncated, no 'Added'" \
				grep -q "^file $f n=.* added=- .*truncated" "$T/dump"
		else
			expect "shallow --depth $depth: $f complete" \
				sh -c "grep '^file $f ' '$T/dump' | grep -qv truncated"
		fi
	done <"$T/files"
done

# --- not a repository, empty repository ----------------------------------
mkdir -p "$T/plain/content" && echo x >"$T/plain/content/a.md"
"$DUMP" "$T/plain/content" >"$T/dump" 2>"$T/err"
expect "not a repository: builds without history" grep -qx "available no" "$T/dump"
expect "not a repository: says so once" \
	sh -c "test \$(wc -l <'$T/err') = 1 && grep -q 'note: .*not in a git repository' '$T/err'"
git init -q "$T/empty" && mkdir "$T/empty/content"
"$DUMP" "$T/empty/content" >"$T/dump" 2>"$T/err"
expect "no commits: builds without history, one note" \
	sh -c "grep -qx 'available no' '$T/dump' && test \$(wc -l <'$T/err') = 1"

# --- uncommitted changes -------------------------------------------------
R=$T/linear
edit "$R/content/a.md" 7 dirty
text fresh >"$R/content/topics/fresh.md"
"$DUMP" "$R/content" >"$T/dump" 2>"$T/err"
expect "uncommitted: a modified file says so" grep -q "^file a.md n=3 .* uncommitted" "$T/dump"
expect "uncommitted: an untracked file is listed, without history" \
	grep -q "^file topics/fresh.md n=0 added=- updated=- uncommitted" "$T/dump"
expect "uncommitted: only those" test "$(grep -c uncommitted "$T/dump")" = 2
git -C "$R" checkout -q -- content/a.md
echo staged >>"$R/content/topics/c.md" && git -C "$R" add content/topics/c.md
"$DUMP" "$R/content" >"$T/dump" 2>"$T/err"
expect "uncommitted: a staged change counts too" grep -q "^file topics/c.md .* uncommitted" "$T/dump"
expect "uncommitted: a clean file does not" grep -q "^file a.md n=3 [^ ]* [^ ]*\$" "$T/dump"

# --- subjects, authors, dates ---------------------------------------------
R=$T/people
git init -q "$R" && cd "$R" || exit 1
mkdir content
text p >content/p.md && git add . &&
	raw_commit '<script>alert("x")</script> & caf\351 \001 done\n\nbody'
TZ_GIT=+0800
edit content/p.md 1 one && git add . && commit -m "zoned commit"
TZ_GIT=-0330
edit content/p.md 2 two && git add . &&
	GIT_AUTHOR_NAME="Old Name" GIT_AUTHOR_EMAIL="old@example.org" commit -m "by old name"
TZ_GIT=+0000
git config i18n.commitEncoding ISO-8859-1
edit content/p.md 3 three && git add . && commit -m "$(printf 'latin-1 caf\351')"
git config --unset i18n.commitEncoding
printf 'New Name <new@example.org> Old Name <old@example.org>\n' >.mailmap
git add .mailmap && commit -m "mailmap"
cd "$ROOT"
follow_all "$R"
blobs_like_git "$R"
"$DUMP" "$R/content" >"$T/dump" 2>"$T/err"
expect "subject: output is valid UTF-8" iconv -f UTF-8 -t UTF-8 "$T/dump" -o /dev/null
expect "subject: HTML kept as data, bad byte and control character replaced" \
	grep -qF "| <script>alert(\"x\")</script> & caf$(printf '\357\277\275') $(printf '\357\277\275') done" "$T/dump"
expect "subject: a declared legacy encoding is converted like git log does" \
	grep -qF "| $(git -C "$R" log -1 --format=%s HEAD~1)" "$T/dump"
expect "mailmap: authors as git log %aN shows them" \
	sh -c "grep -q ' New Name | by old name' '$T/dump' && ! grep -q 'Old Name' '$T/dump'"
expect "mailmap: no e-mail unless asked" sh -c "! grep -q '@example.org' '$T/dump'"
"$DUMP" --emails "$R/content" >"$T/dump2"
expect "mailmap: e-mail when asked, through .mailmap" grep -q " New Name <new@example.org> | by old name" "$T/dump2"
git -C "$R" log --format='  %H %cI' -- content/p.md >"$T/dates"
expect "dates: ISO 8601 in each commit's own time zone, as git's %cI" \
	sh -c "while read -r h d; do grep -q \"\$h .* \$d \" '$T/dump' || exit 1; done <'$T/dates' &&
	       grep -q 'T[0-9:]*+08:00 ' '$T/dump' && grep -q 'T[0-9:]*-03:30 ' '$T/dump'"

# --- ignored revisions ----------------------------------------------------
R=$T/ignore
git init -q "$R" && cd "$R" || exit 1
mkdir content
text i >content/i.md && git add . && commit -m "add"
edit content/i.md 1 real && git add . && commit -m "real change"
REAL=$(git rev-parse HEAD)
tr a-e A-E <content/i.md >"$T/up" && cp "$T/up" content/i.md && git add . && commit -m "bulk reformat"
BULK=$(git rev-parse HEAD)
edit content/i.md 2 other && git add . && commit -m "another bulk change"
OTHER=$(git rev-parse HEAD)
printf '# reformatting\n%s # bulk\n\nnot-a-hash\n' "$BULK" >.git-blame-ignore-revs
git add . && commit -m "ignore revs"
cd "$ROOT"
"$DUMP" --ignore "$(git -C "$R" rev-parse --short "$OTHER")" "$R/content" >"$T/dump" 2>"$T/err"
expect "ignore-revs: ignored commits stay listed" test "$(grep -c ' ignored |' "$T/dump")" = 2
expect "ignore-revs: 'updated' is the last change not ignored" \
	grep -q "^file i.md n=4 added=.* updated=$(echo "$REAL" | cut -c1-7)" "$T/dump"
expect "ignore-revs: a bad line is a warning at its position" \
	grep -q "\.git-blame-ignore-revs:4:1: warning: not a full commit hash: 'not-a-hash'" "$T/err"
"$DUMP" --ignore "$OTHER" "$R/content" >"$T/dump" 2>/dev/null
expect "ignore-revs: [history] ignore takes full hashes too" test "$(grep -c ' ignored |' "$T/dump")" = 2

# --- determinism ------------------------------------------------------------
"$DUMP" "$T/merges/content" >"$T/d1" && "$DUMP" "$T/merges/content" >"$T/d2"
"$DUMP" --all "$T/merges/content" >"$T/a1"
expect "deterministic output" cmp -s "$T/d1" "$T/d2"
expect "history_all: every change once, newest first" \
	test "$(wc -l <"$T/a1")" = "$(grep -c '^  ' "$T/d1")"

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
