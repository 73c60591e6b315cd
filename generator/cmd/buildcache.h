/*
 * buildcache: recognising a tree that has not changed since the last build
 * (issue 13, "incremental build").
 *
 * Owns the file <out>/.dossier-cache and what it records of a successful
 * build: the program (a hash of its own executable), the options that
 * change the output, the commit at HEAD, every input the build read (each
 * file's bytes, folder listing and existence probe made through fsutil,
 * fsutil.h's watcher, as a hash), every output file with its size, and the
 * build's diagnostics. `dossier build` first compares the tree with that
 * record: when nothing differs it replays the diagnostics and leaves the
 * output alone ("up to date"), as make does for a target newer than its
 * prerequisites, but by content, so a touched file is no change.
 *
 * The record holds hashes, sizes and paths relative to the site folder, and
 * nothing that varies between two builds of one tree, so the output stays
 * byte-identical. Paths outside the site (an installed theme, a --config
 * elsewhere) are recorded absolute. Edits to output files that keep their
 * size are not noticed: the output folder is the build's, not the user's.
 */
#ifndef DOSSIER_BUILDCACHE_H
#define DOSSIER_BUILDCACHE_H

#include <stdbool.h>

#include "diag.h"

#define BUILDCACHE_FILE ".dossier-cache"

/* What of a build's options the record depends on (build.h's
 * build_options): the rest (-j, -q, -v) changes no output byte. */
struct buildcache_run {
	const char *dir;      /* the site folder, default "." */
	const char *config;   /* --config, or NULL for <dir>/site.toml */
	const char *base_url; /* --base-url, or NULL */
	const char *archive;  /* --archive NAME.zip, or NULL */
	bool drafts;
	unsigned jobs; /* threads checking the inputs; 0: workq_default_jobs() */
};

struct buildcache;

/* Starts recording the inputs of a build of `o` into `out` (its canonical
 * path need not exist yet): sets fsutil's watcher until buildcache_free. */
struct buildcache *buildcache_start(const struct buildcache_run *o, const char *out);

/* Writes the record into the finished but not yet swapped-in output folder
 * `dir`, with the diagnostics of the run so far and the page count. Writes
 * nothing when an input changed while the build read it. Returns 0, or -1
 * with errno set. */
int buildcache_write(struct buildcache *c, const char *dir, const struct diag *d, int pages);

void buildcache_free(struct buildcache *c);

/* True when the output folder `out` holds a record that matches the tree
 * as it is: its diagnostics are then added to `d` and *pages set. With
 * `why`, the first difference found is left there (freed by the caller) for
 * -v. */
bool buildcache_fresh(const struct buildcache_run *o, const char *out, struct diag *d, int *pages,
		      char **why);

#endif
