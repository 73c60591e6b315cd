/*
 * pagehistory: the git part of load. Reads the content folder's history
 * (history.h) as `[history]` configures it, gives every page with a
 * source its file's history (page->history), and makes the page's
 * revision pages (struct revision, model/page.h): for each of the newest
 * `[history] diffs` changes that changed the text (not the addition, not a
 * pure rename: their History entries say so), the output path, the title
 * and the word diff of the change's two blobs, read by the blob ids the
 * history walk kept (no tree is looked up; the newest version from the file
 * itself when its hash is that blob's) and freed as soon as they are
 * diffed. The diffs are made in page order, on threads each with a
 * repository handle of its own, while link runs (pagehistory_load_start).
 *
 * After it, nothing reads git: link and render use what it left in the
 * model. With history off, outside a repository or without commits, pages
 * get no history and no revision pages.
 */
#ifndef DOSSIER_PAGEHISTORY_H
#define DOSSIER_PAGEHISTORY_H

#include "diag.h"
#include "site.h"

/* The walk of the history (history_load), started on a thread of its own
 * so that it overlaps loading content/: it reads only `[history]` of
 * s->cfg (copied here). NULL, and nothing started, when history is off or
 * with -j 1 (s->jobs < 2): pagehistory_load then walks in place. */
struct pagehistory_walk;
struct pagehistory_walk *pagehistory_start(const struct site *s, const char *content);
/* `content` is the content folder; `w` is pagehistory_start's (or NULL),
 * waited for and freed here. 0, or -1 after an error in `d`. The output
 * and the diagnostics, in their order, do not depend on `w`. */
int pagehistory_load(struct site *s, const char *content, struct pagehistory_walk *w,
		     struct diag *d);
/* pagehistory_load in steps, so that link runs while the walk ends and
 * the diffs are made: _start gives pages their history and leaves the
 * revision diffs running; _walked waits for the walk alone and merges
 * its diagnostics into `d`, returning its result (0, or -1 after an
 * error); _finish makes the diffs not yet begun beside the threads
 * that make them, waits for those, merges their diagnostics into `d` in
 * page order and returns what pagehistory_load would have. With `w`
 * still running and s->jobs >= 2, _start does not wait: a thread of its
 * own waits for the walk, gives the pages their history, then makes the
 * diffs on s->jobs - 1 threads (at least one); otherwise _start walks (or
 * waits) and merges the walk's diagnostics itself, and _walked only
 * returns its result. Between _start and _finish, nothing may read
 * page->history, page->revisions or s->history, add a page's history or
 * change a page's title, source or output path (link does none of
 * these), nor free a page: the pages _start sees (s->pages) must all
 * live until _finish, so the page set is settled (generated_add) before
 * it. So that
 * the diagnostics arrive in the serial order, what runs before _walked
 * reports into a diag of its own, merged after it. Never NULL; _finish
 * frees it (NULL is a no-op). */
struct pagehistory_diffs;
struct pagehistory_diffs *pagehistory_load_start(struct site *s, const char *content,
						 struct pagehistory_walk *w, struct diag *d);
int pagehistory_load_walked(struct pagehistory_diffs *x, struct diag *d);
int pagehistory_load_finish(struct pagehistory_diffs *x, struct diag *d);
/* For a build that stops before pagehistory_load: waits for the walk and
 * frees it. NULL is a no-op. */
void pagehistory_abandon(struct pagehistory_walk *w);

#endif
