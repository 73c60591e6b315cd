/*
 * revision: the revision pages of the model. A page whose file has a git
 * history gets one revision page (kind PAGE_REVISION) for each of the
 * newest `[history] diffs` changes, with the word diff of that change as
 * data (wdiff.h) and the change itself (commit, paths, blob ids).
 *
 * Owns each revision's page and diff. Load makes them
 * (load/pagehistory.c), the page they belong to holds them
 * (page->revisions, freed with the page), render only formats them
 * (render/revisions.c). A revision page is not in site->pages: it is
 * written next to the page it belongs to and listed nowhere else.
 */
#ifndef DOSSIER_REVISION_H
#define DOSSIER_REVISION_H

#include "wdiff.h"

struct page;
struct history_change;

struct revision {
	struct page *page;   /* PAGE_REVISION: out, title, section "", an empty
	                        front matter; no source (owned) */
	char *title;         /* "<page title> — revision <short hash>";
	                        page->title borrows it */
	const struct history_change *change; /* owned by site->history */
	struct wdiff diff;   /* old blob -> new blob */
};

/* Frees what `r` owns (not `r`). */
void revision_clear(struct revision *r);

#endif
