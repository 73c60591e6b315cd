/*
 * revlog: the revision history of the content folder as the model holds
 * it: one record per listed commit, per file under the content folder the
 * changes that touched it (newest first, each with the blob ids of both
 * sides), and every change of every current file in one list, for the
 * "Changes" page and the feed. Plain data: load/history.c fills it from
 * git in one walk and load/pagehistory.c makes the revision pages from it;
 * link and render only read it, and nothing here reads git.
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
 *
 * Invariants: every pointer handed out borrows from the `struct history`
 * and lives until history_free(); lists are newest first; the content
 * depends only on the repository's commits (and, for `uncommitted`, its
 * work tree). Author names go through .mailmap; e-mail addresses are NULL
 * unless asked for.
 */
#ifndef DOSSIER_REVLOG_H
#define DOSSIER_REVLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct history_commit {
	char hash[41];
	char short_hash[8];
	char *author;   /* through .mailmap; valid UTF-8 */
	char *email;    /* NULL unless history_options.emails */
	int64_t time;   /* committer time, seconds since the epoch */
	int offset_min; /* the commit's own time zone, minutes east of UTC */
	char *subject;  /* git's %s; valid UTF-8 (bad bytes and control
	                       characters become U+FFFD); NOT HTML-escaped */
	bool ignored;   /* in .git-blame-ignore-revs or options.ignore:
	                       listed, but does not move "updated" */
	size_t seq;     /* position in the walk, 0 = newest */
};

struct history_file;

struct history_change {
	const struct history_commit *commit;
	const struct history_file *file; /* the current file this belongs to */
	char *path;                      /* repo-relative path at that commit (old path for 'D') */
	char *old_path;                  /* repo-relative path in the parent for 'R'/'C', else NULL */
	char status;                     /* 'A' added, 'M' modified, 'R' renamed (no content
	                   change), 'C' renamed and modified, 'D' deleted */
	char blob[41];                   /* the file's blob at that commit, hex ("" for 'D') */
	char old_blob[41];               /* its blob in the parent, at old_path or path
	                      ("" for 'A'): both kept from the walk, so
	                      reading a revision never looks up a tree */
};

struct history_file {
	char *path;                     /* relative to the content folder */
	struct history_change *changes; /* newest first */
	size_t n;
	/* "Added": the oldest change (NULL when truncated or never committed).
	 * "Last updated": the newest change that is neither a pure rename nor
	 * an ignored commit; when there is none, the addition. */
	const struct history_commit *added, *updated;
	bool truncated;   /* the history reaches a shallow-clone boundary */
	bool uncommitted; /* work tree or index differs from HEAD, or untracked */
};

/* Filled by history_load (load/history.c); read through the functions
 * below. */
struct history {
	bool available;
	char *prefix;               /* content folder relative to the work tree: "" or "x/" */
	char head[41];              /* the commit HEAD was when read, hex */
	struct history_file *files; /* sorted by path */
	size_t nfiles;
	const struct history_file **filep;
	struct history_commit **commits; /* each malloc'd, in walk order */
	size_t ncommits, ccap;
	const struct history_change **all;
	size_t nall;
};

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
/* `date` gets "2025-01-27", `datetime` ISO 8601 in the commit's own time
 * zone, "2025-01-27T10:00:00+08:00". Buffers of 11 and 26 bytes suffice; a
 * shorter one, or a year outside 0..9999, gets "". Either may be NULL. */
void history_format_date(const struct history_commit *c, char *date,
			 size_t datesz, char *datetime, size_t datetimesz);
/* Frees h and everything it owns; NULL is a no-op. */
void history_free(struct history *h);

#endif
