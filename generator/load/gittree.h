/*
 * gittree: git tree objects read as their raw bytes and compared entry by
 * entry, for the one walk of history.c.
 *
 * Owns a cache of tree objects kept for two generations: the trees read
 * while handling one commit stay readable while the next commit is handled
 * (gittree_age() ends a generation), so the parent's trees of one commit,
 * which are the next commit's own trees in git log's order, are read and
 * inflated once, not twice (a folder of 8,000 files is a 320 KB object).
 * Nothing is parsed into libgit2's git_tree: an entry is a view into the
 * object's bytes, and two entries are the same when their bytes are.
 *
 * Invariants: a gittree or gittree_entry borrows from the cache and stays
 * valid until the second gittree_age() after it was read; a zero gittree
 * (p == NULL) is an absent tree, with no entries. Entries come in git's
 * order (a folder sorts as if its name ended in '/').
 */
#ifndef DOSSIER_GITTREE_H
#define DOSSIER_GITTREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <git2.h>

#include "strbuf.h"

struct gittree_cache;

struct gittree {
	const unsigned char *p;
	size_t n;
	git_oid id;
};

struct gittree_entry {
	const char *name;         /* NUL-terminated inside the object */
	size_t len;               /* of name */
	uint16_t mode;            /* normalised as git_tree_entry_filemode() */
	const unsigned char *id;  /* GIT_OID_RAWSZ bytes */
	const unsigned char *raw; /* the whole entry, for a byte compare */
	size_t rawn;
};

/* A changed blob path below the compared trees: `old` NULL when added,
 * `new_` NULL when deleted. The path and the entries are borrowed for the
 * call. */
typedef void (*gittree_change_fn)(void *arg, const char *path,
				  const struct gittree_entry *old,
				  const struct gittree_entry *new_);

struct gittree_cache *gittree_cache_new(git_repository *repo);
void gittree_cache_free(struct gittree_cache *c);
/* Ends a generation: trees not read again since the previous call are
 * released. */
void gittree_age(struct gittree_cache *c);

/* The tree `id` (a cache hit, or read from the object database). -1 with
 * libgit2's error when it cannot be read or is not a tree. */
int gittree_read(struct gittree_cache *c, const git_oid *id, struct gittree *out);
/* The root tree of `commit`. */
int gittree_of_commit(struct gittree_cache *c, const git_commit *commit,
		      struct gittree *out);
/* The tree at `path` ("a/b", no trailing '/') below `root`: a zero tree
 * when there is none or it is not a folder. -1 when a tree cannot be read. */
int gittree_subtree(struct gittree_cache *c, struct gittree root, const char *path,
		    struct gittree *out);
/* The blob (file or symbolic link) at `path` below `root`: 1 and *e when
 * there is one, 0 when not, -1 when a tree cannot be read. */
int gittree_blob(struct gittree_cache *c, struct gittree root, const char *path,
		 struct gittree_entry *e);
/* Both absent, or the same object. */
bool gittree_same(struct gittree a, struct gittree b);

/* Calls `fn` for every blob path that differs (id or mode) between `a` and
 * `b` (either may be zero), prefixed with `base`'s text; folders with the
 * same id are not entered, nor the folder whose path with its '/' equals
 * `skip` (may be NULL). The cost follows the change, not the size of the
 * trees. -1 when a tree cannot be read. */
int gittree_changes(struct gittree_cache *c, struct gittree a, struct gittree b,
		    struct strbuf *base, const char *skip, gittree_change_fn fn, void *arg);

/* The entry's object id. */
void gittree_entry_id(const struct gittree_entry *e, git_oid *out);

#endif
