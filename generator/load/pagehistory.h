/*
 * pagehistory: the git part of load. Reads the content folder's history
 * (history.h) as `[history]` configures it, gives every page with a
 * source its file's history (page->history), and makes the page's
 * revision pages (struct revision, model/page.h): for each of the newest `[history] diffs`
 * changes, the output path, the title and the word diff of the change's
 * two blobs, read by the blob ids the history walk kept (no tree is
 * looked up) and freed as soon as they are diffed.
 *
 * After it, nothing reads git: link and render use what it left in the
 * model. With history off, outside a repository or without commits, pages
 * get no history and no revision pages.
 */
#ifndef DOSSIER_PAGEHISTORY_H
#define DOSSIER_PAGEHISTORY_H

#include "diag.h"
#include "site.h"

/* `content` is the content folder. 0, or -1 after an error in `d`. */
int pagehistory_load(struct site *s, const char *content, struct diag *d);

#endif
