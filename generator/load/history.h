/*
 * history: revision history of the content folder, read from git (libgit2).
 *
 * Owns the repository handle, one record per listed commit, and per file
 * under the content folder the list of commits that changed it (issue 5).
 * It does not render anything: the core turns this data into pages, the
 * "Changes" page and the feed; wdiff turns two blobs into a word diff.
 *
 * What a file's list means: for a file with path P at HEAD it equals
 * `git log --follow --format=%H -- P`, computed for every file at once in ONE
 * walk of the commit graph (cost grows with commits, not commits x files):
 *   - the walk is git log's own order (libgit2's unsorted walk queues
 *     parents by committer date exactly as git's non-limited walk does);
 *   - a non-merge commit is listed for a file when its diff against its
 *     parent touches the name the file has at that point of the walk; a
 *     rename switches that name to the old one for the rest of the walk, so
 *     the history carries over renames, and a deleted and re-added file
 *     keeps the history of its name (git --follow's behaviour);
 *   - merges are never listed and never switch names: with --follow git does
 *     no history simplification, so a side branch's own commits are listed
 *     and the merge itself is not (tests/history checks all this against git);
 *   - known difference: git --follow also follows COPIES (-C -C, any file
 *     of the parent tree as a source); we follow renames only, so a page made
 *     by copying another starts its own history (tests/history "copy").
 * How: per commit, the changed paths come from comparing the raw tree
 * objects (gittree.h: only subtrees whose ids differ are entered, runs of
 * identical entries are skipped as bytes, and the parent's trees are kept
 * for the next commit, which has them as its own); libgit2's
 * git_diff_tree_to_tree, narrowed to those paths, with rename detection (50%
 * similarity, git's default) runs only when a followed name is added while
 * a path is deleted, and once more over the changes outside the content
 * folder when a followed name appears from nowhere (a rename into the
 * folder). Every change keeps the blob ids of both sides, so a revision's
 * text is read by id, never through a tree. Objects are not re-hashed on
 * reading (GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION off, as git log).
 * Shallow clones: libgit2 1.5 cannot read the missing parents, so the walk
 * stops at the commits listed in .git/shallow; a file that exists at such a
 * boundary gets `truncated` (and no "Added"), the boundary commit itself is
 * not listed (its parent is unknown, so is what it changed; git shows it as
 * adding every file), and one warning is emitted.
 *
 * Invariants: every pointer handed out borrows from the `struct history`
 * and lives until history_free(); lists are newest first; output depends
 * only on the repository's commits (and, for `uncommitted`, its work tree).
 * Author names go through .mailmap; e-mail addresses are NULL unless asked.
 */
#ifndef DOSSIER_HISTORY_H
#define DOSSIER_HISTORY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

struct history;

struct history_commit {
	char hash[41];
	char short_hash[8];
	char *author;       /* through .mailmap; valid UTF-8 */
	char *email;        /* NULL unless history_options.emails */
	int64_t time;       /* committer time, seconds since the epoch */
	int offset_min;     /* the commit's own time zone, minutes east of UTC */
	char *subject;      /* git's %s; valid UTF-8 (bad bytes and control
	                       characters become U+FFFD); NOT HTML-escaped */
	bool ignored;       /* in .git-blame-ignore-revs or options.ignore:
	                       listed, but does not move "updated" */
};

struct history_file;

struct history_change {
	const struct history_commit *commit;
	const struct history_file *file; /* the current file this belongs to */
	char *path;     /* repo-relative path at that commit (old path for 'D') */
	char *old_path; /* repo-relative path in the parent for 'R'/'C', else NULL */
	char status;    /* 'A' added, 'M' modified, 'R' renamed (no content
	                   change), 'C' renamed and modified, 'D' deleted */
	char blob[41];     /* the file's blob at that commit, hex ("" for 'D') */
	char old_blob[41]; /* its blob in the parent, at old_path or path
	                      ("" for 'A'): both kept from the walk, so
	                      reading a revision never looks up a tree */
	int added, removed; /* line stats (0 for binary files) */
};

struct history_file {
	char *path;                      /* relative to the content folder */
	struct history_change *changes;  /* newest first */
	size_t n;
	/* "Added": the oldest change (NULL when truncated or never committed).
	 * "Last updated": the newest change that is neither a pure rename nor
	 * an ignored commit; when there is none, the addition. */
	const struct history_commit *added, *updated;
	bool truncated;   /* the history reaches a shallow-clone boundary */
	bool uncommitted; /* work tree or index differs from HEAD, or untracked */
};

struct history_options {
	const char *const *ignore; /* commits (anything git_revparse resolves) */
	size_t nignore;
	bool emails;
};

/*
 * Opens the repository containing `dir` (searching upward) and records the
 * history of every file under `dir` (the content folder), in one walk from
 * HEAD. Not a repository, or no commit yet: returns 0, *out is unavailable
 * and ONE note says so. A shallow clone: one warning. A libgit2 failure: an
 * error naming the operation, *out is NULL, returns -1. `opts` may be NULL.
 * Free *out with history_free().
 */
int history_load(const char *dir, const struct history_options *opts,
		 struct history **out, struct diag *d);
bool history_available(const struct history *h);
/* The file at `path` relative to the content folder ("topics/x.md"), or
 * NULL. Files that are untracked have n == 0 and `uncommitted`. */
const struct history_file *history_find(const struct history *h,
					const char *path);
/* All files, sorted by path (byte order). */
size_t history_files(const struct history *h,
		     const struct history_file *const **out);
/* Every change of every current file, newest first (walk order, then file
 * path): for the site's "Changes" page and feed. A commit that changed two
 * pages appears twice, once per page (change->file); files deleted before
 * HEAD have no page and are not included. Borrowed array. */
size_t history_all(const struct history *h,
		   const struct history_change *const **out);
/* The file's content at change `c` (*new_) and in the parent revision
 * (*old): "" for an addition's old side and a deletion's new side. Both are
 * malloc'd, NUL-terminated, owned by the caller. Read by the blob ids the
 * walk kept (no tree is looked up); called by load only (revision pages):
 * render never reads git. */
int history_blobs(const struct history *h, const struct history_change *c,
		  char **old, size_t *oldn, char **new_, size_t *newn,
		  struct diag *d);
/* `date` gets "2025-01-27", `datetime` ISO 8601 in the commit's own time
 * zone, "2025-01-27T10:00:00+08:00". Buffers of 11 and 26 bytes suffice; a
 * shorter one, or a year outside 0..9999, gets "". Either may be NULL. */
void history_format_date(const struct history_commit *c, char *date,
			 size_t datesz, char *datetime, size_t datetimesz);
void history_free(struct history *h);

#endif
