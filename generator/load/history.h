/*
 * history: the revision history of the content folder, read from git
 * (libgit2) into the model's records (model/revlog.h, which says what a
 * file's list means), and the blobs of a change, read by id. Load only:
 * load/pagehistory.c calls it, and after it nothing opens git but serve's
 * rebuild after an edit, its load step (history_refresh).
 *
 * Owns the repository handle (struct history_repo) while load needs it.
 *
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
 * Authors go through the work tree's .mailmap alone, read like
 * .git-blame-ignore-revs only when it is a regular file inside the
 * repository (a link leading outside is a warning); git's mailmap.file and
 * mailmap.blob settings are not read.
 */
#ifndef DOSSIER_HISTORY_H
#define DOSSIER_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "revlog.h"

struct history_repo;

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
 * Free *out with history_free(). `repo` may be NULL; otherwise it gets the
 * open repository to read blobs from (NULL when history is unavailable),
 * to be freed with history_repo_free() as soon as the blobs are read.
 */
int history_load(const char *dir, const struct history_options *opts,
		 struct history **out, struct history_repo **repo, struct diag *d);
/* The file's content at change `c` (*new_) and in the parent revision
 * (*old): "" for an addition's old side and a deletion's new side. Both are
 * malloc'd, NUL-terminated, owned by the caller. Read by the blob ids the
 * walk kept (no tree is looked up). */
int history_blobs(const struct history_repo *r, const struct history_change *c,
		  char **old, size_t *oldn, char **new_, size_t *newn,
		  struct diag *d);
/* Another handle on the repository of `dir`, to read blobs on a thread
 * other than the one using history_load's (a handle serves one thread at
 * a time): NULL, with an error in d, when it cannot be opened. Meant for
 * while or after history_load runs: it sets no libgit2 option. Free it
 * with history_repo_free() on the thread that used it. */
struct history_repo *history_repo_open(const char *dir, struct diag *d);
/* The blob `hex` (40 hex digits; "" reads as empty), malloc'd and
 * NUL-terminated; -1 with an error naming `path` (the file it is a
 * version of) when it cannot be read. */
int history_blob(const struct history_repo *r, const char *hex, const char *path, char **out,
		 size_t *n, struct diag *d);
/* The blob `hex` read from the file `path` instead: 0 when `path` is a
 * regular file (not a symbolic link, at most 64 MB) whose bytes are that
 * blob (git's hash of them is `hex`), -1 (nothing kept) otherwise. A file
 * of the work tree that git's filters leave alone is its HEAD blob, and
 * reading it is much cheaper than resolving a blob's chain of deltas in a
 * pack; the hash makes sure the text is the committed one. */
int history_blob_from_file(const char *path, const char *hex, char **out, size_t *n);
void history_repo_free(struct history_repo *r);
/* For serve's rebuild after an edit (its load step): 0 when HEAD has
 * moved since history_load (a commit, reset or checkout: the history must
 * be read again); else 1, and each file of `paths` (relative to the content
 * folder `dir`) that has a record gets its `uncommitted` anew from git's
 * status of it, as history_load set it (index or work tree differs from
 * HEAD, or untracked; an ignored file is not marked). -1 with an error when
 * the repository cannot be read. Without history, 1. */
int history_refresh(struct history *h, const char *dir, const char *const *paths, size_t n,
		    struct diag *d);

#endif
