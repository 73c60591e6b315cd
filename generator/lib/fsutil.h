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
/* fs_write_file and fs_copy_file for a file that must not exist yet
 * (O_EXCL): when `path` (`to`) exists, nothing is written and errno is
 * EEXIST. */
int fs_write_new(const char *path, const void *data, size_t len);
int fs_copy_new(const char *from, const char *to);
/* Moves each regular file under `from` whose bytes differ from (or are
 * missing at) the same path under `to` there by rename(2), creating
 * folders; a top-level file named `skip` stays. Both on one file system.
 * Returns the number of files moved, or -1 (errno set). */
int fs_move_changed(const char *from, const char *to, const char *skip);
/* Removes each regular file under `to` that has no counterpart under
 * `from` (a folder rendered again in full). Returns the number removed, or
 * -1 (errno set); a missing `to` is empty. */
int fs_remove_absent(const char *from, const char *to);
bool fs_is_dir(const char *path);
bool fs_is_file(const char *path); /* a regular file, through links */
bool fs_exists(const char *path);

/* Sorted (byte order) names in `dir`, without "." and ".."; *names is a
 * malloc'd array of malloc'd strings. Free with fs_free_list. */
int fs_list_dir(const char *dir, char ***names, size_t *n);
void fs_free_list(char **names, size_t n);

/* ---- what a run reads (the build cache, cmd/buildcache.h) -------------
 *
 * While a watcher is set, every observation of the file system made through
 * the functions below is reported to it, with what was seen: the bytes of a
 * whole-file read (fs_read_file, fs_copy_file; fs_read_file_within and
 * fs_copy_file_within also give the canonical path read), a folder's
 * listing (fs_list_dir, and so fs_walk: each name with its type and, for a
 * symbolic link, its target), and the answers of fs_is_dir, fs_is_file and
 * fs_exists. A failed read or listing is reported with data NULL. The
 * watcher may be called from several threads at once; set it before any
 * thread that reads starts. fs_look makes one observation again, into
 * `data` as the watcher would have seen it (-1: it failed). */
enum fs_seen {
	FS_SEEN_FILE,
	FS_SEEN_FILE_WITHIN, /* data: canonical path, '\n', bytes */
	FS_SEEN_DIR,         /* data: per name "name\0<f|d|l|o>[target]\0" */
	FS_SEEN_IS_DIR,      /* data: "1" or "0" */
	FS_SEEN_IS_FILE,
	FS_SEEN_EXISTS
};
#define FS_SEEN_KINDS 6
typedef void (*fs_seen_fn)(void *arg, enum fs_seen what, const char *path, const char *data, size_t len);
void fs_watch(fs_seen_fn fn, void *arg); /* NULL stops watching */
/* Whether a watcher is set. An observation made for this run in another
 * process (the Sass sandbox's child, whose reads the watcher cannot see)
 * is sent back and reported with fs_seen_elsewhere, as it was seen there. */
bool fs_watching(void);
void fs_seen_elsewhere(enum fs_seen what, const char *path, const char *data, size_t len);
struct strbuf;
int fs_look(enum fs_seen what, const char *path, struct strbuf *data);

/* ---- reading a tree that must not be left (issue 11) --------------------
 *
 * content/ and a theme come from pull requests: a symbolic link in them may
 * point anywhere (/etc/passwd, /proc/self/environ, ../.git/config) or back
 * at a parent folder. fs_walk reads such a tree so that nothing outside it
 * is ever reached and every folder is read once. */

enum fs_walk_kind {
	FS_WALK_FILE,    /* a regular file (possibly through a link inside the root) */
	FS_WALK_DIR,     /* a folder about to be walked; the callback returns 1 to skip it */
	FS_WALK_OUTSIDE, /* a symbolic link resolving outside the root: not followed */
	FS_WALK_LOOP,    /* a link to a folder walked anyway (see `other`): not followed */
	FS_WALK_SPECIAL, /* neither a file nor a folder (FIFO, socket, device): not read */
	FS_WALK_ERROR,   /* cannot be examined or listed (a dangling link too): `err` */
};

struct fs_walk_entry {
	enum fs_walk_kind kind;
	const char *path;  /* the walked folder joined with rel: "content/topics/a.md" */
	const char *rel;   /* relative to the walked folder: "topics/a.md" */
	const char *name;  /* the last component */
	const char *other; /* FS_WALK_LOOP: rel of that folder ("" = the top) */
	bool link;         /* the entry itself is a symbolic link */
	bool ancestor;     /* FS_WALK_LOOP: `other` contains the entry (a cycle) */
	int err;           /* FS_WALK_ERROR: errno */
};

/* Returns 0 to go on (1 for FS_WALK_DIR: skip that folder), < 0 to stop. */
typedef int (*fs_walk_fn)(void *arg, const struct fs_walk_entry *e);

/* Walks `dir` depth-first, names in byte order, skipping names that start
 * with '.'. A symbolic link is followed only when it resolves inside
 * `root_real` (a realpath: the tree that may be read, `dir` itself or a
 * folder holding it). Each folder is walked at most once, known by device
 * and inode: a first pass records the real folders (links not followed),
 * and a link to a folder recorded or reached before is FS_WALK_LOOP, so
 * links can neither loop nor multiply the walk: its cost is linear.
 * `dir` itself resolving outside `root_real` (static/ a link out of the
 * theme) is reported as one FS_WALK_OUTSIDE entry (rel "", path `dir`)
 * and not listed. Returns 0, the callback's negative value, or -1 with
 * errno when `dir` cannot be listed. The walk checks paths; read the files it reports with
 * fs_read_file_within, which checks what it opened, so a link changed
 * after the walk still cannot lead outside. */
int fs_walk(const char *dir, const char *root_real, fs_walk_fn fn, void *arg);
/* fs_walk, names starting with '.' included: a theme's static/ publishes
 * host configuration (.nojekyll, .well-known/). */
int fs_walk_all(const char *dir, const char *root_real, fs_walk_fn fn, void *arg);
/* True when `path`, every symbolic link resolved, is `root_real` or lies
 * inside it; false (errno set) when it cannot be resolved. */
bool fs_resolves_inside(const char *path, const char *root_real);
/* True when `s` holds a byte below 0x20 or DEL. */
bool fs_has_control(const char *s);
/* Why a file or folder name cannot be published (it becomes an output
 * path and an href, issue 11): "file name is not valid UTF-8; rename it"
 * or "file name holds a control character; rename it"; NULL when it can.
 * The one rule for content/ and a theme's static/. */
const char *fs_name_problem(const char *name);
/* fs_read_file for a file of such a tree: the file is opened first and the
 * check made on what was opened (its /proc/self/fd path), so a link
 * swapped in after fs_walk's check cannot lead the read outside:
 * -1 with errno EXDEV when it lies outside `root_real`, EINVAL when it is
 * not a regular file. */
int fs_read_file_within(const char *path, const char *root_real, char **out, size_t *len);
/* Copies a file of such a tree (read as above) to `to`. */
int fs_copy_file_within(const char *from, const char *root_real, const char *to);

/* "a" + "b" -> "a/b" (owned). An empty `a` gives a copy of `b`. */
char *fs_join(const char *a, const char *b);
/* The most bytes a file name (one path component) may have on the file
 * systems dossier writes to (NAME_MAX of Linux's). */
#define FS_NAME_MAX 255
/* True when `rel` is a relative path with no "..", no empty or "."
 * components, none longer than FS_NAME_MAX, no backslash and no NUL:
 * safe to join under a root. */
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
 * naming them, then `path`: the files on up to `jobs` threads, then each
 * folder after everything under it. On failure *failed (owned) names what
 * failed (the first in that order). */
int fs_sync_tree(const char *path, char **failed, unsigned jobs);
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
