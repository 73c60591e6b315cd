/*
 * fsutil: the file system, safely.
 *
 * Reading whole files, atomic writes (temporary file + rename), mkdir -p,
 * recursive removal, sorted directory listings, and path arithmetic: joining
 * a root with a relative path that must stay inside it, and the relative URL
 * from one output page to another (stagit's relpath, without the global).
 *
 * Functions return 0 on success and -1 with errno set on a system error; the
 * caller turns that into a diagnostic naming the path. Paths use '/'.
 */
#ifndef DOSSIER_FSUTIL_H
#define DOSSIER_FSUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads a whole file; *out is owned by the caller and NUL-terminated. */
int fs_read_file(const char *path, char **out, size_t *len);
/* Writes `path` through a temporary file in the same folder, fsync(2) and
 * rename(2). New files get 0666 and new folders 0777, less the umask. */
int fs_write_atomic(const char *path, const void *data, size_t len);
/* Writes `path` directly (it lives in a folder that is itself swapped in). */
int fs_write_file(const char *path, const void *data, size_t len);
int fs_mkdir_p(const char *path);
/* Creates the parent folders of `path`. */
int fs_mkdir_parent(const char *path);
int fs_rm_rf(const char *path);
int fs_copy_file(const char *from, const char *to);
bool fs_is_dir(const char *path);
bool fs_exists(const char *path);

/* Sorted (byte order) names in `dir`, without "." and ".."; *names is a
 * malloc'd array of malloc'd strings. Free with fs_free_list. */
int fs_list_dir(const char *dir, char ***names, size_t *n);
void fs_free_list(char **names, size_t n);

/* "a" + "b" -> "a/b" (owned). An empty `a` gives a copy of `b`. */
char *fs_join(const char *a, const char *b);
/* True when `rel` is a relative path with no "..", no empty or "."
 * components, no backslash and no NUL: safe to join under a root. */
bool fs_rel_is_safe(const char *rel);
/* Normalises a relative path against the folder of `base` ("a/b.md" +
 * "../c.md" -> "c.md"). Returns NULL when it climbs above the root. */
char *fs_resolve(const char *base, const char *rel);
/* The relative URL from output file `from` to output file `to`, both
 * relative to the output root ("topics/a.html", "articles/b.html" ->
 * "../articles/b.html"). */
char *fs_relurl(const char *from, const char *to);
/* The path from output file `from` to the output root: "" or "../../". */
char *fs_root_of(const char *from);
/* Last component and extension helpers (borrowed pointers into `path`). */
const char *fs_basename(const char *path);
const char *fs_extension(const char *path); /* ".md", or "" */


/* --- the output side: the folder a build replaces ------------------------ */

/* Creates a new folder "<prefix>XXXXXX" (six random letters or digits; mode
 * 0777 less the umask, unlike mkdtemp's 0700); *path is owned, and on
 * failure names the last folder tried. */
int fs_mkdtemp(const char *prefix, char **path);
/* fsync(2)s every file and folder under `path`, children before the folder
 * naming them, then `path`. On failure *failed (owned) names what failed. */
int fs_sync_tree(const char *path, char **failed);
int fs_sync_dir(const char *path);

enum fs_swap_how {
	FS_SWAP_RENAMED,     /* `to` did not exist: `from` was renamed */
	FS_SWAP_EXCHANGED,   /* atomic exchange: the old `to` is now at `from` */
	FS_SWAP_UNSUPPORTED, /* (failure) the file system cannot exchange */
};
/* Puts folder `from` at `to` in one atomic step: renameat2 RENAME_EXCHANGE
 * when `to` exists, a rename that refuses to clobber otherwise. Fails with
 * *how == FS_SWAP_UNSUPPORTED where the file system cannot exchange; the
 * caller then falls back to moving `to` aside (not atomic). */
int fs_swap(const char *from, const char *to, enum fs_swap_how *how);

/* An exclusive flock(2) on a folder (the one holding the output): nothing
 * is written, so nothing is left behind, and a holder killed with -9
 * releases it with its last descriptor. fs_lock_dir waits for a holder
 * (setting l->waited). */
struct fs_lock {
	int fd;
	bool waited;
};
int fs_lock_dir(const char *dir, struct fs_lock *l);
void fs_unlock(struct fs_lock *l);

/* The absolute, symlink-free form of `path`; a tail that does not exist
 * yet is appended with "." and ".." applied as text. Owned; NULL with
 * errno on failure. */
char *fs_realpath_any(const char *path);
/* True when canonical path `inner` equals `outer` or lies under it. */
bool fs_path_within(const char *inner, const char *outer);

#endif
